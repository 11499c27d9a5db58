/** JSON helpers shared by the interpreter: AWS serializes payloads compactly and measures them in UTF-8 bytes. */

/** AWS's payload limit for state input/output and execution input/output: 256 KiB. */
export const MAX_PAYLOAD_BYTES = 262_144;

export function toJson(value: unknown): string {
  // undefined has no JSON form; the engine treats it as null wherever a payload is written.
  return JSON.stringify(value === undefined ? null : value);
}

/**
 * A payload's JSON text, or undefined when it is over the limit. A value too large for a JS string at all (a
 * JSONata `$range` of 10^8 numbers) makes JSON.stringify throw a RangeError: that is over the limit, too.
 */
export function boundedJson(value: unknown): string | undefined {
  let text: string;
  try {
    text = toJson(value);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return utf8Length(text) > MAX_PAYLOAD_BYTES ? undefined : text;
}

/**
 * A value from outside the engine (execution input, a task's result, SendTaskSuccess output) as plain JSON, with
 * its text: what the history records is exactly what the states see (no Dates, Maps, functions, NaN), as on a
 * resumed run. Throws NotJsonError for what JSON cannot hold (BigInt, cycles) or a top-level function/symbol.
 */
export function asJson(value: unknown): { value: unknown; text: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (error) {
    throw new NotJsonError(String((error as Error)?.message).split('\n')[0]!);
  }
  if (text === undefined) throw new NotJsonError(`a ${typeof value} has no JSON form`);
  // Parsing the text back is only needed when the value holds something JSON changes; checking is cheaper.
  return { value: isPlainJson(value) ? (value ?? null) : JSON.parse(text), text };
}

/** Whether JSON.stringify would keep `value` exactly as it is (called after it succeeded, so there are no cycles). */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'undefined':
      return true; // the top level only: written as null
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (value[i] === undefined || !isPlainJson(value[i])) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined || !isPlainJson(item)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

export class NotJsonError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotJsonError';
  }
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

/** Sets an own property, '__proto__' included (a plain assignment of that key would replace the object's prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type names AWS uses in its messages ('array', 'object', 'null', ...). */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
