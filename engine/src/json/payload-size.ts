/** AWS's payload limit: state and execution inputs and outputs are measured in UTF-8 bytes against 256 KiB. */
import { toJson } from './text';

const MAX_PAYLOAD_BYTES = 262_144;

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
  return Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES ? undefined : text;
}
