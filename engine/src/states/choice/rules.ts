/**
 * JSONPath Choice rules: Variable plus one comparison operator (or its *Path form), And/Or/Not, and the type
 * tests. A comparison against a value of the wrong type is simply false, as in AWS.
 */
import type { ChoiceExpression, ComparisonOperator } from '../../asl/choice-rule';
import { StatesError } from '../../errors/states-error';
import { compilePath, type CompiledPath } from '../../paths/compiled-path';
import type { EvalEnv } from '../../paths/env';
import { readPath } from '../../paths/evaluate';
import { PathNotFoundError } from '../../paths/path-not-found';
import { isPresent } from '../../paths/read';
import { parseTimestamp } from '../../time/timestamp';

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const COMPARATORS: Array<{
  key: ComparisonOperator | `${ComparisonOperator}Path`;
  kind: Kind;
  relation: Relation;
  path: boolean;
}> = [];
for (const kind of ['String', 'Numeric', 'Boolean', 'Timestamp'] as Kind[]) {
  const relations: Relation[] =
    kind === 'Boolean' ? ['Equals'] : ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
  for (const relation of relations) {
    const operator = `${kind}${relation}` as ComparisonOperator;
    COMPARATORS.push({ key: operator, kind, relation, path: false });
    COMPARATORS.push({ key: `${operator}Path`, kind, relation, path: true });
  }
}

function typed(kind: Kind, value: unknown): number | string | boolean | undefined {
  switch (kind) {
    case 'String':
      return typeof value === 'string' ? value : undefined;
    case 'Numeric':
      return typeof value === 'number' ? value : undefined;
    case 'Boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'Timestamp':
      return typeof value === 'string' ? parseTimestamp(value) : undefined;
  }
}

function relate(relation: Relation, a: number | string | boolean, b: number | string | boolean): boolean {
  switch (relation) {
    case 'Equals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'GreaterThan':
      return a > b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThanEquals':
      return a >= b;
  }
}

/** StringMatches: `*` matches any run of characters, `\*` a literal star, `\\` a backslash. */
const matcherCache = new Map<string, RegExp>();
function wildcard(pattern: string): RegExp {
  let regex = matcherCache.get(pattern);
  if (!regex) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i]);
      else if (c === '*') source += '[\\s\\S]*';
      else source += escapeRegex(c);
    }
    regex = new RegExp(`^${source}$`);
    matcherCache.set(pattern, regex);
  }
  return regex;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A rule's Variable or *Path comparand: a path that selects nothing fails with AWS's Choice-specific text. */
function readConditionPath(source: string, env: EvalEnv): unknown {
  try {
    return readPath(compilePath(source), env);
  } catch (error) {
    if (error instanceof PathNotFoundError) {
      throw new StatesError(
        'States.Runtime',
        `Invalid path '${source}': The choice state's condition path references an invalid value.`,
      );
    }
    throw error;
  }
}

export function evaluateRule(rule: ChoiceExpression, env: EvalEnv): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => evaluateRule(r, env));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => evaluateRule(r, env));
  if (rule.Not) return !evaluateRule(rule.Not, env);
  const variable = rule.Variable as string;
  if ('IsPresent' in rule) {
    const path = compilePath(variable);
    const present =
      path.root.kind === 'variable' && !env.vars.has(path.root.name) ? false : isPresent(path, rootOf(path, env));
    return present === rule.IsPresent;
  }
  const value = readConditionPath(variable, env);
  if ('IsNull' in rule) return (value === null) === rule.IsNull;
  if ('IsNumeric' in rule) return (typeof value === 'number') === rule.IsNumeric;
  if ('IsString' in rule) return (typeof value === 'string') === rule.IsString;
  if ('IsBoolean' in rule) return (typeof value === 'boolean') === rule.IsBoolean;
  if ('IsTimestamp' in rule)
    return (typeof value === 'string' && parseTimestamp(value) !== undefined) === rule.IsTimestamp;
  if ('StringMatches' in rule) return typeof value === 'string' && wildcard(rule.StringMatches as string).test(value);
  for (const comparator of COMPARATORS) {
    if (!(comparator.key in rule)) continue;
    const expected = comparator.path ? readConditionPath(rule[comparator.key] as string, env) : rule[comparator.key];
    const a = typed(comparator.kind, value);
    const b = typed(comparator.kind, expected);
    if (a === undefined || b === undefined) return false;
    return relate(comparator.relation, a, b);
  }
  return false;
}

function rootOf(path: CompiledPath, env: EvalEnv): unknown {
  if (path.root.kind === 'variable') return env.vars.get(path.root.name);
  return readPath(compilePath(path.root.kind === 'context' ? '$$' : '$'), env);
}
