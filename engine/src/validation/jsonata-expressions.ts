/**
 * JSONata expressions are checked when the state machine is created, as AWS does: syntax
 * (INVALID_JSONATA_EXPRESSION with jsonata's parser message without its code, which is AWS's text) and
 * references AWS does not support (UNSUPPORTED_JSONATA_EXPRESSION): `$$`, `$` or a field name at the top
 * level (the top-level input is empty; use $states.input), and $states.errorOutput outside a Catch.
 */
import jsonata from 'jsonata';
import { error, type Diagnostic } from './diagnostic';
import { allStates, isObject } from './walk';

/** Fields whose strings are never expressions, and the nested states that are visited on their own. */
const LITERAL_FIELDS = new Set([
  'Type',
  'Comment',
  'QueryLanguage',
  'Next',
  'End',
  'Resource',
  'Default',
  'ErrorEquals',
  'ItemProcessor',
  'Iterator',
  'Branches',
  'ProcessorConfig',
]);

interface ExprNode {
  type: string;
  value?: unknown;
  steps?: ExprNode[];
  stages?: ExprNode[];
  predicate?: ExprNode[];
  lhs?: ExprNode | ExprNode[][];
  rhs?: ExprNode;
  expression?: ExprNode;
  expressions?: ExprNode[];
  arguments?: ExprNode[];
  condition?: ExprNode;
  then?: ExprNode;
  else?: ExprNode;
  body?: ExprNode;
}

export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}');
}

/** The first unsupported reference in the expression; `top` is whether a node is evaluated against the (empty) top-level input. */
function unsupportedReference(node: ExprNode | undefined, top: boolean, inCatch: boolean): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const each = (nodes: Array<ExprNode | undefined> | undefined, isTop: boolean): string | undefined => {
    for (const child of nodes ?? []) {
      const found = unsupportedReference(child, isTop, inCatch);
      if (found) return found;
    }
    return undefined;
  };
  switch (node.type) {
    case 'variable':
      if (node.value === '$') return "Reference to '$$' is not supported.";
      if (node.value === '' && top) return "Reference to '$' at the top level is not supported.";
      return each([...(node.predicate ?? []), ...(node.stages ?? [])], false);
    case 'name':
      return top ? `Reference to '${String(node.value)}' at the top level is not supported.` : each(node.stages, false);
    case 'path': {
      const [first, second] = node.steps ?? [];
      if (
        first?.type === 'variable' &&
        first.value === 'states' &&
        second?.type === 'name' &&
        second.value === 'errorOutput' &&
        !inCatch
      ) {
        return "Field '$states.errorOutput' does not exist.";
      }
      return unsupportedReference(first, top, inCatch) ?? each((node.steps ?? []).slice(1), false);
    }
    case 'binary':
    case 'apply':
    case 'bind':
      return each([node.lhs as ExprNode, node.rhs], top);
    case 'unary':
      if (node.value === '{') return each((node.lhs as ExprNode[][] | undefined)?.flat(), top);
      return each([node.expression, ...(node.expressions ?? [])], top);
    case 'condition':
      return each([node.condition, node.then, node.else], top);
    case 'block':
      return each(node.expressions, top);
    case 'function':
    case 'partial':
      return each(node.arguments, top);
    default:
      return undefined; // literals, regexes, lambdas (their own scope), sorts and filters (relative context)
  }
}

function checkExpression(text: string, location: string, inCatch: boolean): Diagnostic | undefined {
  const source = text.slice(2, -2);
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source);
  } catch (cause) {
    return error('INVALID_JSONATA_EXPRESSION', (cause as Error).message, location);
  }
  const reference = unsupportedReference(expression.ast() as ExprNode, true, inCatch);
  return reference ? error('UNSUPPORTED_JSONATA_EXPRESSION', reference, location) : undefined;
}

function visitValue(value: unknown, location: string, inCatch: boolean, out: Diagnostic[]): void {
  if (isJsonataExpression(value)) {
    const problem = checkExpression(value, location, inCatch);
    if (problem) out.push(problem);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visitValue(item, `${location}[${i}]`, inCatch, out);
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (!LITERAL_FIELDS.has(key)) visitValue(item, `${location}/${key}`, inCatch || key === 'Catch', out);
    }
  }
}

export function jsonataExpressionChecks(definition: Record<string, unknown>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { state, location, queryLanguage } of allStates(definition)) {
    if (queryLanguage === 'JSONata') visitValue(state, location, false, diagnostics);
  }
  return diagnostics;
}
