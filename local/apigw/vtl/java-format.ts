/**
 * How Velocity prints a value API Gateway hands to a template: Java's toString of the JSON value
 * (a JSON object is a Map: `{a=1, b=x}`, an array a List: `[1, 2]`, null `null`).
 */
export function javaToString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaToString).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${javaToString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
