import { describe, expect, it } from 'vitest';
import type { FinkitError } from '../errors/finkit-error.js';
import { assertPageLimit, compareKeyset, decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';

describe('keyset cursor', () => {
  it('decodes what it encodes, ids with any characters included', () => {
    const position = { date: '2024-02-29', id: 'a/b+c=d ü "quoted"' };
    const cursor = encodeKeysetCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 json', 'not a cursor!'],
    ['json of the wrong shape', Buffer.from('{"date":"2024-01-01"}').toString('base64url')],
    ['a bad date', Buffer.from('["yesterday","id"]').toString('base64url')],
    ['an empty id', Buffer.from('["2024-01-01",""]').toString('base64url')],
  ])('rejects %s with VALIDATION', (_what, cursor) => {
    expect(() => decodeKeysetCursor(cursor)).toThrow(
      expect.objectContaining({ code: 'VALIDATION', name: 'FinkitError' }) as FinkitError,
    );
  });

  it('orders by date desc, then id desc', () => {
    const rows = [
      { date: '2024-01-01', id: 'b' },
      { date: '2024-01-02', id: 'a' },
      { date: '2024-01-01', id: 'c' },
    ];
    expect([...rows].sort(compareKeyset)).toEqual([rows[1], rows[2], rows[0]]);
  });

  it('accepts limits 1..1000 only', () => {
    expect(() => assertPageLimit(1)).not.toThrow();
    expect(() => assertPageLimit(1000)).not.toThrow();
    for (const limit of [0, 1001, 2.5, Number.NaN]) {
      expect(() => assertPageLimit(limit), `limit ${limit}`).toThrow(/Page limit/);
    }
  });
});
