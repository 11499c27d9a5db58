/** Values as text: AWS serializes payloads compactly. */

export function toJson(value: unknown): string {
  // undefined has no JSON form; the engine treats it as null wherever a payload is written.
  return JSON.stringify(value === undefined ? null : value);
}

/** Any value as text for an error or cause: strings as they are, other values as JSON where they have it. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
