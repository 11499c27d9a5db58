/**
 * JSONPath Choice rules: Variable plus one comparison operator (or its *Path form), And/Or/Not, and the type
 * tests. A comparison against a value of the wrong type is simply false, as in AWS.
 */
import { StatesError } from './errors';
import type { EvalEnv } from './eval-env';
import { compilePath, isPresent, PathNotFoundError } from './jsonpath';
import { readPath } from './jsonpath-eval';
import { parseTimestamp } from './timestamp';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ChoiceRule = Record<string, any>;

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const COMPARATORS: Array<{ key: string; kind: Kind; relation: Relation; path: boolean }> = [];
for (const kind of ['String', 'Numeric', 'Boolean', 'Timestamp'] as Kind[]) {
  const relations: Relation[] = kind === 'Boolean' ? ['Equals'] : ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
  for (const relation of relations) {
    COMPARATORS.push({ key: `${kind}${relation}`, kind, relation, path: false });
    COMPARATORS.push({ key: `${kind}${relation}Path`, kind, relation, path: true });
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
      throw new StatesError('States.Runtime', `Invalid path '${source}': The choice state's condition path references an invalid value.`);
    }
    throw error;
  }
}

export function evaluateRule(rule: ChoiceRule, env: EvalEnv): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r: ChoiceRule) => evaluateRule(r, env));
  if (Array.isArray(rule.Or)) return rule.Or.some((r: ChoiceRule) => evaluateRule(r, env));
  if (rule.Not) return !evaluateRule(rule.Not, env);
  const variable: string = rule.Variable;
  if ('IsPresent' in rule) {
    const path = compilePath(variable);
    const present = path.root.kind === 'variable' && !env.vars.has(path.root.name) ? false : isPresent(path, rootOf(path, env));
    return present === rule.IsPresent;
  }
  const value = readConditionPath(variable, env);
  if ('IsNull' in rule) return (value === null) === rule.IsNull;
  if ('IsNumeric' in rule) return (typeof value === 'number') === rule.IsNumeric;
  if ('IsString' in rule) return (typeof value === 'string') === rule.IsString;
  if ('IsBoolean' in rule) return (typeof value === 'boolean') === rule.IsBoolean;
  if ('IsTimestamp' in rule) return (typeof value === 'string' && parseTimestamp(value) !== undefined) === rule.IsTimestamp;
  if ('StringMatches' in rule) return typeof value === 'string' && wildcard(rule.StringMatches).test(value);
  for (const comparator of COMPARATORS) {
    if (!(comparator.key in rule)) continue;
    const expected = comparator.path ? readConditionPath(rule[comparator.key], env) : rule[comparator.key];
    const a = typed(comparator.kind, value);
    const b = typed(comparator.kind, expected);
    if (a === undefined || b === undefined) return false;
    return relate(comparator.relation, a, b);
  }
  return false;
}

function rootOf(path: ReturnType<typeof compilePath>, env: EvalEnv): unknown {
  if (path.root.kind === 'variable') return env.vars.get(path.root.name);
  return readPath(compilePath(path.root.kind === 'context' ? '$$' : '$'), env);
}
