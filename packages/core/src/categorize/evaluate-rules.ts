import type { Rule } from '../schemas/rule.js';
import { type CompiledRule, compileRule, type RuleSubject } from './compile-rule.js';

/** What a set of rules decided for one transaction. */
export interface RuleOutcome {
  /** Set by the last matching rule with a category action. */
  categoryId: { value: string; rule: Rule } | null;
  merchantName: { value: string; rule: Rule } | null;
  hidden: { value: boolean; rule: Rule } | null;
  /** The union of every matching rule's tags, in the order they were added. */
  addTags: string[];
  matched: Rule[];
}

const stageOrder: Record<Rule['stage'], number> = { pre: 0, default: 1, post: 2 };

/** Evaluation order: stage (pre, default, post), priority ascending, creation, id. */
export function compareRules(a: Rule, b: Rule): number {
  return (
    stageOrder[a.stage] - stageOrder[b.stage] ||
    a.priority - b.priority ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Compiles the enabled rules in evaluation order. A rule whose pattern does not compile is left
 * out rather than failing a sync; `previewRule` reports it to whoever writes it.
 */
export function compileRules(rules: readonly Rule[]): CompiledRule[] {
  const compiled: CompiledRule[] = [];
  for (const rule of [...rules].sort(compareRules)) {
    if (!rule.enabled) continue;
    try {
      compiled.push(compileRule(rule));
    } catch {
      // Skipped: see above.
    }
  }
  return compiled;
}

/**
 * Runs every matching rule in order. Each rule sees the transaction as it arrived (an earlier
 * rule's actions never change what a later rule matches), and a later rule's action overrides an
 * earlier one's for the same field: so a `post` rule has the last word over `default` and `pre`
 * ones, and within a stage the higher priority number wins. Tags accumulate.
 */
export function evaluateRules(compiled: readonly CompiledRule[], subject: RuleSubject): RuleOutcome {
  const outcome: RuleOutcome = {
    categoryId: null,
    merchantName: null,
    hidden: null,
    addTags: [],
    matched: [],
  };
  for (const { rule, matches } of compiled) {
    if (!matches(subject)) continue;
    outcome.matched.push(rule);
    const { actions } = rule;
    if (actions.categoryId !== undefined) outcome.categoryId = { value: actions.categoryId, rule };
    if (actions.merchantName !== undefined) outcome.merchantName = { value: actions.merchantName, rule };
    if (actions.hidden !== undefined) outcome.hidden = { value: actions.hidden, rule };
    for (const tag of actions.addTags ?? []) if (!outcome.addTags.includes(tag)) outcome.addTags.push(tag);
  }
  return outcome;
}
