import { FinkitError } from '../errors/finkit-error.js';
import type { Rule, RuleCondition } from '../schemas/rule.js';
import type { ProviderCategory } from '../schemas/transaction.js';
import { patternProblem } from '../validation/pattern-problem.js';

/** What rule conditions look at. */
export interface RuleSubject {
  description: string;
  /** The provider's merchant name, else the normalized one: rules see one name either way. */
  merchantName: string | null;
  /** Signed minor units. */
  amount: number;
  /** finkit's account id; null when not known yet (conditions on it then fail). */
  accountId: string | null;
  providerCategory: ProviderCategory | null;
  date: string;
}

/** A rule with its conditions turned into one predicate, built once per rule set. */
export interface CompiledRule {
  readonly rule: Rule;
  matches(subject: RuleSubject): boolean;
}

type Predicate = (subject: RuleSubject) => boolean;

function textPredicate(
  condition: Extract<RuleCondition, { field: 'description' | 'merchantName' | 'providerCategory' }>,
  ruleId: string,
): Predicate {
  const caseSensitive = condition.caseSensitive ?? false;
  const norm = (s: string): string => (caseSensitive ? s : s.toLowerCase());
  const value = norm(condition.value);
  let test: (text: string) => boolean;
  switch (condition.op) {
    case 'contains':
      test = (t) => t.includes(value);
      break;
    case 'equals':
      test = (t) => t === value;
      break;
    case 'starts_with':
      test = (t) => t.startsWith(value);
      break;
    case 'ends_with':
      test = (t) => t.endsWith(value);
      break;
    case 'matches': {
      const problem = patternProblem(condition.value);
      if (problem) {
        throw new FinkitError(
          'VALIDATION',
          `Rule condition's pattern ${condition.value} is refused: ${problem}`,
          {
            details: { ruleId, pattern: condition.value },
          },
        );
      }
      const pattern = new RegExp(condition.value, caseSensitive ? '' : 'i');
      // The pattern is applied to the original text: its own flags decide about case.
      return textField(
        condition.field,
        (t) => pattern.test(t),
        (s) => s,
      );
    }
  }
  return textField(condition.field, test, norm);
}

function textField(
  field: 'description' | 'merchantName' | 'providerCategory',
  test: (text: string) => boolean,
  norm: (s: string) => string,
): Predicate {
  switch (field) {
    case 'description':
      return (s) => test(norm(s.description));
    case 'merchantName':
      return (s) => s.merchantName !== null && test(norm(s.merchantName));
    case 'providerCategory':
      // Either level of the provider's category may be named: `FOOD_AND_DRINK` or `FOOD_AND_DRINK_COFFEE`.
      return (s) =>
        s.providerCategory !== null &&
        (test(norm(s.providerCategory.primary)) || test(norm(s.providerCategory.detailed)));
  }
}

function conditionPredicate(condition: RuleCondition, ruleId: string): Predicate {
  switch (condition.field) {
    case 'description':
    case 'merchantName':
    case 'providerCategory':
      return textPredicate(condition, ruleId);
    case 'amount': {
      const { value } = condition;
      const max = condition.max ?? value;
      switch (condition.op) {
        case 'gt':
          return (s) => Math.abs(s.amount) > value;
        case 'gte':
          return (s) => Math.abs(s.amount) >= value;
        case 'lt':
          return (s) => Math.abs(s.amount) < value;
        case 'lte':
          return (s) => Math.abs(s.amount) <= value;
        case 'eq':
          return (s) => Math.abs(s.amount) === value;
        case 'between':
          return (s) => Math.abs(s.amount) >= value && Math.abs(s.amount) <= max;
      }
      break;
    }
    case 'sign':
      return condition.value === 'outflow' ? (s) => s.amount < 0 : (s) => s.amount > 0;
    case 'accountId': {
      const ids = new Set(condition.value);
      return condition.op === 'in'
        ? (s) => s.accountId !== null && ids.has(s.accountId)
        : (s) => s.accountId !== null && !ids.has(s.accountId);
    }
    case 'dayOfMonth': {
      const { value } = condition;
      const max = condition.op === 'between' ? (condition.max ?? value) : value;
      return (s) => {
        const day = Number(s.date.slice(8, 10));
        return day >= value && day <= max;
      };
    }
  }
}

/**
 * Compiles a rule's conditions once (lowercased values, built regular expressions), so
 * evaluating thousands of transactions does no per-row parsing.
 * @throws VALIDATION when a `matches` condition is not a valid regular expression, or one that
 * could backtrack exponentially (see `patternProblem`).
 */
export function compileRule(rule: Rule): CompiledRule {
  const predicates = rule.conditions.map((c) => conditionPredicate(c, rule.id));
  const matches: Predicate =
    rule.match === 'all' ? (s) => predicates.every((p) => p(s)) : (s) => predicates.some((p) => p(s));
  return { rule, matches };
}
