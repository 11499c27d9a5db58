/**
 * A value from outside the engine (execution input, a task's result, SendTaskSuccess output) as plain JSON, with
 * its text: what the history records is exactly what the states see (no Dates, Maps, functions, NaN), as on a
 * resumed run.
 */

export class NotJsonError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotJsonError';
  }
}

/** Throws NotJsonError for what JSON cannot hold (BigInt, cycles) or a top-level function/symbol. */
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
