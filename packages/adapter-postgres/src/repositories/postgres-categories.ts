import {
  type Category,
  type CategoryKind,
  type CategoryRepository,
  defaultCategories,
  FinkitError,
  notFound,
} from '@finkit/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { CategoriesTable, Database } from '../database.js';
import {
  assertKnownCategories,
  conflictOnUnique,
  isDefaultCategoryId,
  type PostgresContext,
} from '../postgres-context.js';

const epoch = new Date(0);
const defaultRows: Category[] = defaultCategories.map((category) => ({
  ...category,
  userId: null,
  parentId: null,
  createdAt: epoch,
  updatedAt: epoch,
}));

function toCategory(row: Selectable<CategoriesTable>): Category {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    kind: row.kind as CategoryKind,
    parentId: row.parent_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `categories.list`'s answer from the user's own categories: the defaults, then those by name. */
export function categoryList(own: Category[]): Category[] {
  // Sorted like the reference store (locale order), which a SQL collation would not match exactly.
  own.sort((a, b) => a.name.localeCompare(b.name));
  return [...defaultRows.map((row) => ({ ...row })), ...own];
}

function assertNotDefault(id: string): void {
  if (isDefaultCategoryId(id)) {
    throw new FinkitError('VALIDATION', `Default category ${id} cannot be changed`, { details: { id } });
  }
}

const duplicateName = (name: string) =>
  [`A category named ${name} already exists`, { name }] as [string, Record<string, unknown>];

/** A parent must be known to the user and must not sit under the category itself (no cycles). */
async function assertParent(
  db: Kysely<Database>,
  userId: string,
  id: string,
  parentId: string,
): Promise<void> {
  await assertKnownCategories(db, userId, [parentId]);
  const cycle = await sql<{ id: string }>`
    with recursive up(id, parent_id) as (
      select id, parent_id from categories where id = ${parentId} and user_id = ${userId}
      union
      select c.id, c.parent_id from categories c join up on c.id = up.parent_id where c.user_id = ${userId}
    )
    select id from up where id = ${id}
  `.execute(db);
  if (parentId === id || cycle.rows.length > 0) {
    throw new FinkitError('VALIDATION', 'A category cannot sit under itself', { details: { id, parentId } });
  }
}

export function createPostgresCategories(context: PostgresContext): CategoryRepository {
  const { db, clock, newId } = context;
  return {
    async list(userId) {
      const rows = await db.selectFrom('categories').selectAll().where('user_id', '=', userId).execute();
      return categoryList(rows.map(toCategory));
    },
    async get(userId, id) {
      const fallback = defaultRows.find((row) => row.id === id);
      if (fallback !== undefined) return { ...fallback };
      const row = await db
        .selectFrom('categories')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toCategory(row);
    },
    async create(userId, input) {
      const id = newId();
      return db.transaction().execute(async (trx) => {
        if (input.parentId !== null) await assertParent(trx, userId, id, input.parentId);
        const now = clock.now();
        const row = await conflictOnUnique(
          () =>
            trx
              .insertInto('categories')
              .values({
                id,
                user_id: userId,
                name: input.name,
                kind: input.kind,
                parent_id: input.parentId,
                created_at: now,
                updated_at: now,
              })
              .returningAll()
              .executeTakeFirstOrThrow(),
          ...duplicateName(input.name),
        );
        return toCategory(row);
      });
    },
    async update(userId, id, patch) {
      assertNotDefault(id);
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('categories')
          .select('id')
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .forUpdate()
          .executeTakeFirst();
        if (existing === undefined) throw notFound('Category', id);
        if (patch.parentId !== undefined && patch.parentId !== null) {
          await assertParent(trx, userId, id, patch.parentId);
        }
        const row = await conflictOnUnique(
          () =>
            trx
              .updateTable('categories')
              .set({
                ...(patch.name !== undefined && { name: patch.name }),
                ...(patch.parentId !== undefined && { parent_id: patch.parentId }),
                updated_at: clock.now(),
              })
              .where('id', '=', id)
              .where('user_id', '=', userId)
              .returningAll()
              .executeTakeFirstOrThrow(),
          ...duplicateName(patch.name ?? ''),
        );
        return toCategory(row);
      });
    },
    async delete(userId, id, reassignTo) {
      assertNotDefault(id);
      await db.transaction().execute(async (trx) => {
        const deleted = await trx
          .selectFrom('categories')
          .selectAll()
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .forUpdate()
          .executeTakeFirst();
        if (deleted === undefined) throw notFound('Category', id);
        if (reassignTo === id) {
          throw new FinkitError('VALIDATION', 'Cannot reassign a category to itself', { details: { id } });
        }
        await assertKnownCategories(trx, userId, [reassignTo]);
        const now = clock.now();
        await trx.deleteFrom('categories').where('id', '=', id).execute();
        await trx
          .updateTable('transactions')
          .set({ category_id: reassignTo, updated_at: now })
          .where('user_id', '=', userId)
          .where('category_id', '=', id)
          .execute();
        await sql`
          update rules set actions = jsonb_set(actions, '{categoryId}', to_jsonb(${reassignTo}::text)),
            updated_at = ${now}
          where user_id = ${userId} and actions->>'categoryId' = ${id}
        `.execute(trx);
        // The new home cannot become its own parent; it moves up to the deleted one's parent.
        await sql`
          update categories set
            parent_id = case when id = ${reassignTo} then ${deleted.parent_id}::text else ${reassignTo} end,
            updated_at = ${now}
          where user_id = ${userId} and parent_id = ${id}
        `.execute(trx);
      });
    },
  };
}
