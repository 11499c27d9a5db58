/** JSONata fields hold literals or `{% expression %}` strings, at any depth of objects and arrays. */
import { isPlainObject } from '../json/objects';

/** The expression inside a `{% ... %}` string, or undefined for a literal. */
export function expressionOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('{%') || !value.endsWith('%}') || value.length < 4)
    return undefined;
  return value.slice(2, -2).trim();
}

/** Whether a field value needs evaluation at all (lets literal fields skip the async path). */
export function hasExpression(value: unknown): boolean {
  if (typeof value === 'string') return expressionOf(value) !== undefined;
  if (Array.isArray(value)) return value.some(hasExpression);
  if (isPlainObject(value)) return Object.values(value).some(hasExpression);
  return false;
}
