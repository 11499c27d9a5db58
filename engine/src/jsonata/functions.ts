/**
 * The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse) and
 * the one it takes away ($eval), registered on a compiled expression.
 *
 * Signatures and error texts follow executions recorded on AWS (snapshots of
 * github.com/gabrielmoreira/tiny-asl-machine, Feature.JSONataBuiltins): a wrong argument type or count is
 * jsonata's own T0410 "Argument <n> of function \"<name>\" does not match function signature", value errors
 * are D3137 with AWS's message, and some bad inputs make the function return nothing (undefined).
 * Errors are thrown as jsonata errors ({code, message, token, ...}); the interpreter reports them as
 * States.QueryEvaluationError "... threw an error during evaluation. <code>: <message>".
 */
import { randomUUID } from 'node:crypto';
import type jsonata from 'jsonata';
import { hexDigest, isHashAlgorithm } from '../intrinsics/hash';
import { JavaRandom } from '../intrinsics/java-random';

/** A jsonata error object; jsonata fills `message` from `code` and sets `token` to the function's name. */
function jsonataError(code: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(typeof fields.message === 'string' ? fields.message : code), { code, ...fields });
}

/** D3137 is jsonata's code for a function-defined message (the one $error uses); AWS uses it for its own. */
function functionError(message: string): Error {
  return jsonataError('D3137', { message });
}

/**
 * Marks an array as a jsonata sequence, so a one-item result collapses to the item as jsonata's own
 * range operator does (observed: `$range(1, 9, 9)` returned 1) and an empty one to nothing.
 */
function asSequence(values: number[]): number[] {
  Object.defineProperty(values, 'sequence', { value: true });
  return values;
}

/** $partition(array, size): chunks of `size`; no size gives one chunk (observed); 0 gives nothing; below 0 fails. */
function partition(array: unknown, size: number | undefined): unknown[][] | undefined {
  if (array === undefined) return undefined;
  // AWS declares the argument as an array of an unnamed item type, so its T0412 names "undefined".
  if (!Array.isArray(array)) throw jsonataError('T0412', { index: 1, value: array, type: undefined });
  if (size === undefined) return [array];
  const chunk = Math.trunc(size);
  if (chunk < 0) throw functionError('Second argument must be zero or greater');
  if (chunk === 0) return undefined;
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += chunk) chunks.push(array.slice(i, i + chunk));
  return chunks;
}

const MAX_RANGE_ITEMS = 1e7;

/** $range(start, end, step): inclusive, truncated arguments; a missing or zero step gives nothing (observed). */
function range(start: number, end: number, step: number | undefined): number[] | undefined {
  if (start === undefined || end === undefined || step === undefined) return undefined;
  const [from, to, by] = [Math.trunc(start), Math.trunc(end), Math.trunc(step)];
  if (by === 0) return undefined;
  const count = Math.max(0, Math.floor((to - from) / by) + 1);
  // jsonata's own range operator refuses more than 1e7 items (D2014); without a bound, $range(0, 1e9, 1) exhausts the host's memory.
  if (!(count <= MAX_RANGE_ITEMS))
    throw functionError(
      `The size of the sequence allocated by $range must not exceed 1e7. Attempted to allocate ${count}.`,
    );
  return asSequence(Array.from({ length: count }, (_, i) => from + i * by));
}

/** The order AWS lists the algorithms in its error message (a Java HashMap's). */
const HASH_ALGORITHMS_IN_AWS_ORDER = 'SHA-1, SHA-384, SHA-256, SHA-512, MD5';

function hash(data: string, algorithm: string): string | undefined {
  if (data === undefined || algorithm === undefined) return undefined;
  if (!isHashAlgorithm(algorithm))
    throw functionError(`Hash algorithm '${algorithm}' must be one of ${HASH_ALGORITHMS_IN_AWS_ORDER}`);
  return hexDigest(data, algorithm);
}

/** $random([seed]): a seeded draw is Java's `new Random(seed).nextDouble()`, as on AWS. */
function random(seed: number | undefined): number {
  return seed === undefined ? Math.random() : new JavaRandom(seed).nextDouble();
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw functionError('Invalid JSON');
  }
}

/** Registers Step Functions' JSONata functions on `expression` and makes `$eval` unavailable, as on AWS. */
export function bindStepFunctionsFunctions(expression: jsonata.Expression): void {
  expression.registerFunction('partition', partition, '<jn?:a>');
  expression.registerFunction('range', range, '<nnn?:a<n>>');
  expression.registerFunction('hash', hash, '<ss:s>');
  expression.registerFunction('random', random, '<n?:n>');
  expression.registerFunction('uuid', () => randomUUID(), '<:s>');
  expression.registerFunction('parse', parse, '<s?:j>');
  // Calling it then fails with jsonata's T1006 "Attempted to invoke a non-function", AWS's answer to $eval.
  expression.assign('eval', undefined);
}
