/** JSON helpers shared by the interpreter: AWS serializes payloads compactly and measures them in UTF-8 bytes. */

/** AWS's payload limit for state input/output and execution input/output: 256 KiB. */
export const MAX_PAYLOAD_BYTES = 262_144;

export function toJson(value: unknown): string {
  // undefined has no JSON form; the engine treats it as null wherever a payload is written.
  return JSON.stringify(value === undefined ? null : value);
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
