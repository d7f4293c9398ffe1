import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultCategories } from '../schemas/category.js';
import { mapPfc, pfcDetailedCategories } from './pfc-category-map.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/plaid-pfc/', import.meta.url));

/** PRIMARY,DETAILED pairs of a taxonomy CSV; descriptions may be quoted, the first two columns never are. */
function readPairs(file: string): [string, string][] {
  const lines = readFileSync(fixtures + file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1);
  return lines.map((line) => {
    const [primary, detailed] = line.split(',');
    return [primary!, detailed!];
  });
}

const v1 = readPairs('pfc_v1_taxonomy_with_descriptions.csv');
const v2 = readPairs('pfc_v2_taxonomy.csv');
const known = new Set<string>(defaultCategories.map((c) => c.id));

describe('PFC mapping', () => {
  it('reads both taxonomies', () => {
    expect(v1.length).toBe(104);
    expect(v2.length).toBe(123);
  });

  it.each([
    ['v1', v1],
    ['v2', v2],
  ])('maps every %s primary and detailed value onto a default category', (_version, pairs) => {
    const unmapped = pairs.filter(([primary, detailed]) => {
      const category = mapPfc(primary, detailed);
      return category === null || !known.has(category) || mapPfc(primary, null) === null;
    });
    expect(unmapped).toEqual([]);
  });

  it('only overrides detailed values that exist', () => {
    const detailed = new Set([...v1, ...v2].map(([, d]) => d));
    expect(Object.keys(pfcDetailedCategories).filter((d) => !detailed.has(d))).toEqual([]);
  });

  it('reads a detailed value before its primary', () => {
    expect(mapPfc('LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT')).toBe('transfer');
    expect(mapPfc('LOAN_PAYMENTS', 'LOAN_PAYMENTS_MORTGAGE_PAYMENT')).toBe('bills_and_utilities');
    expect(mapPfc('FOOD_AND_DRINK', 'FOOD_AND_DRINK_COFFEE')).toBe('food_and_dining');
    expect(mapPfc('NOT_A_PFC', null)).toBeNull();
  });
});
