import { describe, expect, it } from 'vitest';
import { patternProblem } from './pattern-problem.js';

describe('patternProblem', () => {
  it.each([
    '^(uber|lyft)\\b',
    'starbucks #\\d+',
    'amzn|amazon',
    '(inc\\.?)?',
    '(\\d{2}[-/]){2}\\d{4}',
    '(?:pos|ach) debit',
    '(?<store>\\d{4,})$',
    '[(+*)]+',
    'a{2,10}(b{1,3}){2,5}',
    '(?=.*coffee)',
    'x\\(+',
  ])('allows %s', (pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });

  it.each([
    ['(a+)+$', 'repetition'],
    ['(\\w*)*x', 'repetition'],
    ['((ab)+c)*', 'repetition'],
    ['(?:\\s?\\w+)+$', 'repetition'],
    ['(.*,){11,}', 'repetition'],
    ['(a|ab)+c', 'alternatives'],
    ['(?:\\w|\\d)*!', 'alternatives'],
    ['(a)\\1', 'backreferences'],
    ['(?<x>a)\\k<x>', 'backreferences'],
    ['(unclosed', 'not a valid'],
  ])('refuses %s', (pattern, reason) => {
    expect(patternProblem(pattern)).toContain(reason);
  });

  it('refuses exactly the patterns that take exponential time', () => {
    // The refused shape really is slow: each extra character doubles the time.
    const slow = /^(a+)+$/;
    const time = (n: number) => {
      const start = performance.now();
      slow.test(`${'a'.repeat(n)}!`);
      return performance.now() - start;
    };
    expect(time(22)).toBeGreaterThan(time(14) * 8);
    expect(patternProblem(slow.source)).not.toBeNull();
  });
});
