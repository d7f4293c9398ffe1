import { sql } from 'kysely';
import type { Migration } from './migration.js';

/*
 * Ids are `text collate "C"` so keyset order on (date, id) is byte order, which is what every
 * store (and the in-memory reference) compares with.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial-schema',
  async up(db) {
    await sql`
      create table connections (
        id text collate "C" primary key,
        user_id text not null,
        provider text not null,
        provider_item_id text not null,
        institution_id text,
        institution_name text,
        status text not null,
        encrypted_access_token text not null,
        cursor text,
        last_synced_at timestamptz,
        last_error jsonb,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (provider, provider_item_id)
      );
      create index connections_user_idx on connections (user_id, created_at, id);
      create index connections_status_idx on connections (status);

      create table accounts (
        id text collate "C" primary key,
        user_id text not null,
        connection_id text collate "C" not null references connections (id) on delete cascade,
        provider_account_id text not null,
        name text not null,
        official_name text,
        type text not null,
        subtype text,
        mask text,
        currency text not null,
        balance_current bigint,
        balance_available bigint,
        balance_limit bigint,
        balance_currency text not null,
        balance_as_of timestamptz not null,
        closed_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (connection_id, provider_account_id)
      );
      create index accounts_user_idx on accounts (user_id, created_at, id);

      create table transactions (
        id text collate "C" primary key,
        user_id text not null,
        connection_id text collate "C" not null references connections (id) on delete cascade,
        account_id text collate "C" not null references accounts (id) on delete cascade,
        provider_transaction_id text not null,
        pending_transaction_id text,
        date date not null,
        authorized_date date,
        amount bigint not null,
        currency text not null,
        description text not null,
        merchant_name text,
        pending boolean not null,
        category_id text collate "C" not null,
        category_confidence double precision not null,
        category_explanation text not null,
        provider_category jsonb,
        notes text,
        tags text[] not null default '{}',
        hidden boolean not null default false,
        sources jsonb not null default '{}',
        removed_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (connection_id, provider_transaction_id)
      );
      create index transactions_page_idx on transactions (user_id, date desc, id desc);
      create index transactions_category_idx on transactions (user_id, category_id, date desc);
      create index transactions_account_idx on transactions (user_id, account_id, date desc);
      create index transactions_tags_idx on transactions using gin (tags);

      create table categories (
        id text collate "C" primary key,
        user_id text not null,
        name text not null,
        kind text not null,
        parent_id text collate "C",
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create unique index categories_user_name_idx on categories (user_id, lower(name));

      create table rules (
        id text collate "C" primary key,
        user_id text not null,
        name text not null,
        enabled boolean not null,
        stage text not null,
        priority integer not null,
        match text not null,
        conditions jsonb not null,
        actions jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index rules_user_idx on rules (user_id);

      create table budgets (
        id text collate "C" primary key,
        user_id text not null,
        name text not null,
        category_ids text[] not null,
        amount bigint not null,
        currency text not null,
        period text not null,
        period_start_day integer not null,
        week_starts_on integer not null,
        timezone text not null,
        start_date date not null,
        end_date date,
        rollover boolean not null,
        thresholds integer[] not null,
        include_pending boolean not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index budgets_user_idx on budgets (user_id, created_at, id);

      create table budget_threshold_crossings (
        budget_id text collate "C" not null references budgets (id) on delete cascade,
        user_id text not null,
        period_start date not null,
        threshold integer not null,
        crossed_at timestamptz not null,
        primary key (budget_id, period_start, threshold)
      );

      create table goals (
        id text collate "C" primary key,
        user_id text not null,
        name text not null,
        target_amount bigint not null,
        currency text not null,
        target_date date,
        starting_amount bigint not null,
        linked_account_id text collate "C",
        annual_yield double precision not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index goals_user_idx on goals (user_id, created_at, id);

      create table goal_contributions (
        id text collate "C" primary key,
        user_id text not null,
        goal_id text collate "C" not null references goals (id) on delete cascade,
        amount bigint not null,
        date date not null,
        note text,
        created_at timestamptz not null
      );
      create index goal_contributions_goal_idx on goal_contributions (goal_id, date, created_at, id);

      create table notifications (
        id text collate "C" primary key,
        user_id text not null,
        type text not null,
        dedupe_key text not null,
        title text not null,
        body text not null,
        data jsonb not null,
        created_at timestamptz not null,
        read_at timestamptz,
        unique (user_id, dedupe_key)
      );
      create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
    `.execute(db);
  },
};
