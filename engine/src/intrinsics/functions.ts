/**
 * The intrinsic functions, with AWS's observed semantics. Argument errors throw IntrinsicFunctionError with
 * AWS's wording ("Invalid arguments in States.X"); AWS checks argument counts at run time, not at creation.
 * Facts marked "observed" come from executions recorded on AWS (engine/tests/conformance/cases and the AWS
 * snapshots of github.com/gabrielmoreira/tiny-asl-machine).
 */
import { randomUUID } from 'node:crypto';
import { hexDigest, isHashAlgorithm } from './hash';
import { JavaRandom } from './java-random';
import type { IntrinsicArgument } from './parser';
import { isPlainObject } from '../json/objects';
import { javaToString, jsonEquals } from './values';

/** The text AWS puts after "There was an error while evaluating the intrinsic function: <call>. ". */
export class IntrinsicFunctionError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'IntrinsicFunctionError';
  }
}

type IntrinsicFunction = (args: unknown[], sources: readonly IntrinsicArgument[]) => unknown;

/** Base64 input and hash input are capped at 10,000 characters (observed: 10,000 passes, 10,001 fails). */
const MAX_STRING_INPUT = 10_000;
/** States.ArrayRange may produce at most 1,000 items (observed). */
const MAX_RANGE_ITEMS = 1_000;

function invalid(name: string): never {
  throw new IntrinsicFunctionError(`Invalid arguments in ${name}`);
}

const isInt32 = (n: number): boolean => n >= -2147483648 && n <= 2147483647;

function expectArity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) invalid(name);
}

function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string') invalid(name);
  return value;
}

function expectArray(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) invalid(name);
  return value;
}

function expectNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(name);
  return value;
}

/** AWS truncates fractional counts, indexes and bounds toward zero (observed: ArrayPartition 2.6 → 2, ArrayRange 5.4 → 5, ArrayGetItem 1.2 → 1). */
function expectTruncated(name: string, value: unknown): number {
  return Math.trunc(expectNumber(name, value)) + 0; // + 0 turns -0 into 0
}

/** States.Format: `{}` placeholders; `\{` and `\}` in a literal template are plain braces. */
function format(args: unknown[], sources: readonly IntrinsicArgument[]): string {
  if (args.length < 1) invalid('States.Format');
  const template = expectString('States.Format', args[0]);
  const source = sources[0];
  const escaped = source?.kind === 'string' ? source.escapedBraces : new Set<number>();
  const values = args.slice(1);
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    if (escaped.has(i) || (char !== '{' && char !== '}')) {
      out += char;
      continue;
    }
    if (char === '}')
      throw new IntrinsicFunctionError("Invalid template in States.Format: matching '{' not found for '}'.");
    if (template[i + 1] !== '}' || escaped.has(i + 1)) {
      throw new IntrinsicFunctionError("Invalid template in States.Format: matching '}' not found for '{'.");
    }
    if (next >= values.length) invalid('States.Format');
    out += javaToString(values[next++]);
    i++;
  }
  if (next !== values.length) invalid('States.Format');
  return out;
}

function stringToJson(args: unknown[]): unknown {
  expectArity('States.StringToJson', args, 1);
  const text = expectString('States.StringToJson', args[0]);
  // Observed: "" and " " give null.
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return invalid('States.StringToJson');
  }
}

function jsonToString(args: unknown[]): string {
  expectArity('States.JsonToString', args, 1);
  return JSON.stringify(args[0]);
}

function arrayPartition(args: unknown[]): unknown[][] {
  expectArity('States.ArrayPartition', args, 2);
  const array = expectArray('States.ArrayPartition', args[0]);
  const size = expectTruncated('States.ArrayPartition', args[1]);
  if (size <= 0) invalid('States.ArrayPartition');
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
  return chunks;
}

function arrayContains(args: unknown[]): boolean {
  expectArity('States.ArrayContains', args, 2);
  return expectArray('States.ArrayContains', args[0]).some((item) => jsonEquals(item, args[1]));
}

function arrayRange(args: unknown[]): number[] {
  expectArity('States.ArrayRange', args, 3);
  const [start, end, step] = args.map((arg) => expectTruncated('States.ArrayRange', arg)) as [number, number, number];
  if (step === 0) invalid('States.ArrayRange');
  const count = Math.max(0, Math.floor((end - start) / step) + 1);
  if (count > MAX_RANGE_ITEMS) invalid('States.ArrayRange');
  return Array.from({ length: count }, (_, i) => start + i * step);
}

function arrayGetItem(args: unknown[]): unknown {
  expectArity('States.ArrayGetItem', args, 2);
  const array = expectArray('States.ArrayGetItem', args[0]);
  const index = expectTruncated('States.ArrayGetItem', args[1]);
  // Observed: any index into an empty array gives null, while out-of-range on a non-empty array fails.
  if (array.length === 0 && index >= 0) return null;
  if (index < 0 || index >= array.length) invalid('States.ArrayGetItem');
  return array[index];
}

function arrayLength(args: unknown[]): number {
  expectArity('States.ArrayLength', args, 1);
  return expectArray('States.ArrayLength', args[0]).length;
}

function arrayUnique(args: unknown[]): unknown[] {
  expectArity('States.ArrayUnique', args, 1);
  const unique: unknown[] = [];
  for (const item of expectArray('States.ArrayUnique', args[0])) {
    if (!unique.some((seen) => jsonEquals(seen, item))) unique.push(item);
  }
  return unique;
}

function base64Encode(args: unknown[]): string {
  expectArity('States.Base64Encode', args, 1);
  const text = expectString('States.Base64Encode', args[0]);
  if (text.length > MAX_STRING_INPUT) invalid('States.Base64Encode');
  return Buffer.from(text, 'utf8').toString('base64');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Decode(args: unknown[]): string {
  expectArity('States.Base64Decode', args, 1);
  const text = expectString('States.Base64Decode', args[0]);
  if (text.length > MAX_STRING_INPUT || !BASE64.test(text)) invalid('States.Base64Decode');
  return Buffer.from(text, 'base64').toString('utf8');
}

function hash(args: unknown[]): string {
  expectArity('States.Hash', args, 2);
  const [data, algorithm] = args;
  // Observed: AWS hashes a number or an object by its text instead of failing.
  const text = typeof data === 'string' ? data : JSON.stringify(data ?? null);
  if (text.length > MAX_STRING_INPUT) invalid('States.Hash');
  if (typeof algorithm !== 'string' || !isHashAlgorithm(algorithm)) invalid('States.Hash');
  return hexDigest(text, algorithm);
}

function jsonMerge(args: unknown[]): Record<string, unknown> {
  expectArity('States.JsonMerge', args, 3);
  const [left, right, deep] = args;
  if (!isPlainObject(left) || !isPlainObject(right) || typeof deep !== 'boolean') invalid('States.JsonMerge');
  // AWS documents only the shallow mode ("false"); a deep merge request is an invalid argument.
  if (deep) invalid('States.JsonMerge');
  return { ...left, ...right };
}

function mathRandom(args: unknown[]): number {
  expectArity('States.MathRandom', args, 2, 3);
  // Observed: bounds are truncated (1.6..5.4 can return 1) and the end is exclusive; start must be below end.
  const start = expectTruncated('States.MathRandom', args[0]);
  const end = expectTruncated('States.MathRandom', args[1]);
  if (start >= end) invalid('States.MathRandom');
  if (args.length === 3) {
    const seed = expectNumber('States.MathRandom', args[2]);
    const span = end - start;
    if (span > 0x7fffffff) invalid('States.MathRandom');
    return start + new JavaRandom(seed).nextInt(span);
  }
  return start + Math.floor(Math.random() * (end - start));
}

function mathAdd(args: unknown[]): number {
  expectArity('States.MathAdd', args, 2);
  // Observed: each operand is rounded half up first (Java Math.round): -2.5 + 0 = -2, 2.5 + 0 = 3.
  const [a, b] = args.map((arg) => Math.round(expectNumber('States.MathAdd', arg)));
  // Observed: operands and sum are Java ints; 3000000000 + 1 and 2147483647 + 1 are invalid arguments.
  const sum = a! + b! + 0;
  if (![a!, b!, sum].every(isInt32)) invalid('States.MathAdd');
  return sum;
}

function stringSplit(args: unknown[]): string[] {
  expectArity('States.StringSplit', args, 2);
  const text = expectString('States.StringSplit', args[0]);
  const delimiters = expectString('States.StringSplit', args[1]);
  // Every character of the second argument is a delimiter ("This.is+a,test=string" split by ".+,="), empty pieces dropped.
  const pieces: string[] = [];
  let current = '';
  for (const char of text) {
    if (delimiters.includes(char)) {
      if (current) pieces.push(current);
      current = '';
    } else current += char;
  }
  if (current) pieces.push(current);
  return pieces;
}

function uuid(args: unknown[]): string {
  expectArity('States.UUID', args, 0);
  return randomUUID();
}

export const INTRINSIC_FUNCTIONS: Readonly<Record<string, IntrinsicFunction>> = {
  'States.Format': format,
  'States.StringToJson': stringToJson,
  'States.JsonToString': jsonToString,
  'States.Array': (args) => args,
  'States.ArrayPartition': arrayPartition,
  'States.ArrayContains': arrayContains,
  'States.ArrayRange': arrayRange,
  'States.ArrayGetItem': arrayGetItem,
  'States.ArrayLength': arrayLength,
  'States.ArrayUnique': arrayUnique,
  'States.Base64Encode': base64Encode,
  'States.Base64Decode': base64Decode,
  'States.Hash': hash,
  'States.JsonMerge': jsonMerge,
  'States.MathRandom': mathRandom,
  'States.MathAdd': mathAdd,
  'States.StringSplit': stringSplit,
  'States.UUID': uuid,
};
