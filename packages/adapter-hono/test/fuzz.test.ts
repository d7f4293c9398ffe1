import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHarness } from './app-fixture.js';
import { concretePath, documentedRoutes, validBody } from './route-list.js';

const hostileStrings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '__proto__',
    'constructor',
    "'; DROP TABLE transactions; --",
    '<script>alert(1)</script>',
    '=cmd|/c calc!A1',
    '9'.repeat(400),
    '-0',
    '1e309',
    'NaN',
    '2024-02-30',
    '0000-00-00',
    'true',
    'x'.repeat(5000),
  ),
);

const hostileValues = fc.oneof(
  hostileStrings,
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, null, true, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Bodies: broken JSON, JSON of the wrong shape, valid shapes with one field made hostile. */
function bodies(valid: unknown) {
  const raw = fc.oneof(
    fc.string().map((text) => ({ text, type: 'application/json' })),
    fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v), type: 'application/json' })),
    fc
      .constantFrom(
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '[]',
        'null',
        '{',
      )
      .map((text) => ({ text, type: 'application/json' })),
    hostileStrings.map((text) => ({ text, type: 'text/plain' })),
  );
  if (valid === null || typeof valid !== 'object') return raw;
  const keys = Object.keys(valid as object);
  const mutated = fc
    .record({ key: fc.oneof(fc.constantFrom(...keys), hostileStrings), value: hostileValues })
    .map(({ key, value }) => ({
      text: JSON.stringify({ ...(valid as object), [key]: value }),
      type: 'application/json',
    }));
  return fc.oneof(raw, mutated);
}

const queryNames = [
  'from',
  'to',
  'accountId',
  'connectionId',
  'categoryId',
  'minAmount',
  'maxAmount',
  'q',
  'pending',
  'tag',
  'includeHidden',
  'limit',
  'cursor',
  'groupBy',
  'date',
  'timezone',
  'reassignTo',
  'includeClosed',
  'lastEventId',
  'unreadOnly',
];

const queries = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...queryNames), hostileStrings), hostileStrings), {
  maxLength: 5,
});

describe('fuzz: hostile input to every documented route never gives a 5xx', async () => {
  // Web push configured, so its key route answers instead of its deliberate 501.
  const h = await createHarness({ app: { webPush: { publicKey: 'fuzz-vapid-public-key' } } });
  for (const route of documentedRoutes(h.app)) {
    const name = `${route.method} ${route.path}`;
    it(name, async () => {
      const valid = validBody(route.method, route.path, h.alice);
      await fc.assert(
        fc.asyncProperty(
          fc.option(hostileStrings, { nil: undefined }),
          queries,
          bodies(valid),
          async (param, query, body) => {
            let path = concretePath(route.path, h.alice);
            if (param !== undefined && route.path.includes('{id}')) {
              path = route.path.replace('{id}', encodeURIComponent(param));
            }
            const search = new URLSearchParams(query).toString();
            const headers: Record<string, string> = {
              authorization: `Bearer ${h.aliceToken}`,
              'content-type': body.type,
            };
            const res = await h.app.request(`${path}${search ? `?${search}` : ''}`, {
              method: route.method,
              headers,
              ...(route.method === 'GET' ? {} : { body: body.text }),
            });
            const text = await res.text();
            // A bank that is not there answers PROVIDER (502): that is the bank's status, not a crash.
            const providerAnswer = route.reachesProvider && res.status === 502 && text.includes('"PROVIDER"');
            expect(
              res.status < 500 || providerAnswer,
              `${name} ${path}?${search} ${body.text.slice(0, 200)} -> ${res.status} ${text.slice(0, 300)}`,
            ).toBe(true);
            if (res.status >= 400) {
              const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
              expect(typeof parsed.error?.code).toBe('string');
              expect(typeof parsed.error?.message).toBe('string');
            }
          },
        ),
        { numRuns: 40, seed: 4242 },
      );
    });
  }
});
