/**
 * JSONPath reads and writes with AWS's semantics and messages.
 *
 * AWS evaluates paths with Jayway JsonPath (Java): a definite path ($.a.b[0]) yields one value or fails with
 * Jayway's texts ("No results for path: $['a']", "Missing property in path $['a']"), an indefinite path
 * ($..a, $.a[*], filters, slices) yields an array. Definite paths are walked here by hand because jsonpath-plus
 * neither fails on a missing property nor reports where; indefinite ones go to jsonpath-plus.
 */
import { JSONPath } from 'jsonpath-plus';
import { isPlainObject, setOwn } from './json';

type Segment = { kind: 'prop'; name: string } | { kind: 'index'; index: number };

/** A parsed path. `root` says what `$` refers to: the data, the context object (`$$`) or a variable (`$name`). */
export interface CompiledPath {
  source: string;
  root: { kind: 'data' } | { kind: 'context' } | { kind: 'variable'; name: string };
  /** The path relative to its root, in `$...` form (what jsonpath-plus gets for indefinite paths). */
  relative: string;
  /** Set when the path is definite and simple enough to walk by hand. */
  segments?: Segment[];
}

/** A path that selects nothing, with Jayway's message. */
export class PathNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathNotFoundError';
  }
}

const VARIABLE_ROOT = /^\$([A-Za-z_][A-Za-z0-9_]*)/;
const cache = new Map<string, CompiledPath>();

export function compilePath(source: string): CompiledPath {
  let compiled = cache.get(source);
  if (!compiled) {
    compiled = parse(source);
    if (cache.size > 10_000) cache.clear();
    cache.set(source, compiled);
  }
  return compiled;
}

function parse(source: string): CompiledPath {
  let root: CompiledPath['root'];
  let rest: string;
  if (source.startsWith('$$')) {
    root = { kind: 'context' };
    rest = source.slice(2);
  } else {
    const variable = VARIABLE_ROOT.exec(source);
    if (variable) {
      root = { kind: 'variable', name: variable[1] };
      rest = source.slice(variable[0].length);
    } else {
      root = { kind: 'data' };
      rest = source.slice(1);
    }
  }
  return { source, root, relative: `$${rest}`, segments: parseSegments(rest) };
}

/** Parses `.a['b'][0]`; returns undefined for anything indefinite or unusual (left to jsonpath-plus). */
function parseSegments(rest: string): Segment[] | undefined {
  const segments: Segment[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    if (c === '.') {
      if (rest[i + 1] === '.') return undefined;
      let j = i + 1;
      while (j < rest.length && rest[j] !== '.' && rest[j] !== '[') j++;
      const name = rest.slice(i + 1, j);
      if (name === '' || name === '*' || /[@?()*,:]/.test(name)) return undefined;
      segments.push({ kind: 'prop', name });
      i = j;
    } else if (c === '[') {
      const close = rest.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = rest.slice(i + 1, close).trim();
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
      if (quoted) segments.push({ kind: 'prop', name: quoted[1] ?? quoted[2] });
      else if (/^-?\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else return undefined;
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return segments;
}

function fragment(segment: Segment): string {
  return segment.kind === 'prop' ? `['${segment.name}']` : `[${segment.index}]`;
}

/** Jayway's name for the Java type it found where it expected an object. */
function javaType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'net.minidev.json.JSONArray';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  return 'java.util.LinkedHashMap';
}

/** Reads `path` (relative to its own root) from `data`; throws PathNotFoundError when a definite path selects nothing. */
export function readRelative(path: CompiledPath, data: unknown): unknown {
  const segments = path.segments;
  if (!segments) {
    return JSONPath({ path: path.relative, json: data as object, wrap: true }) as unknown[];
  }
  let current = data;
  let evalPath = '$';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const leaf = i === segments.length - 1;
    const here = evalPath + fragment(segment);
    if (segment.kind === 'prop') {
      if (!isPlainObject(current)) {
        throw new PathNotFoundError(
          `Expected to find an object with property ${fragment(segment)} in path ${evalPath} but found '${javaType(current)}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.`,
        );
      }
      if (!Object.prototype.hasOwnProperty.call(current, segment.name)) {
        throw new PathNotFoundError(leaf ? `No results for path: ${here}` : `Missing property in path ${here}`);
      }
      current = current[segment.name];
    } else {
      if (!Array.isArray(current)) {
        throw new PathNotFoundError(
          `Filter: ${fragment(segment)} can only be applied to arrays. Current context is: ${JSON.stringify(current ?? null)}`,
        );
      }
      const index = segment.index < 0 ? current.length + segment.index : segment.index;
      if (index < 0 || index >= current.length) throw new PathNotFoundError(`No results for path: ${here}`);
      current = current[index];
    }
    evalPath = here;
  }
  return current;
}

/** Whether a Choice rule's `IsPresent` holds: the path selects something (an indefinite path: a non-empty array). */
export function isPresent(path: CompiledPath, data: unknown): boolean {
  try {
    const value = readRelative(path, data);
    return path.segments ? true : (value as unknown[]).length > 0;
  } catch (error) {
    if (error instanceof PathNotFoundError) return false;
    throw error;
  }
}

/**
 * Writes `value` at a ResultPath (a definite reference path) inside `target`, copying every object on the way
 * so the state input is never mutated. Returns the new root. Throws PathNotFoundError when the path crosses a
 * value that is not an object.
 */
export function writePath(path: CompiledPath, target: unknown, value: unknown): unknown {
  const segments = path.segments;
  if (!segments || path.root.kind !== 'data') {
    throw new PathNotFoundError(`Invalid reference path ${path.source}`);
  }
  if (segments.length === 0) return value;
  return writeAt(segments, 0, target, value, path.source);
}

function writeAt(segments: Segment[], i: number, node: unknown, value: unknown, source: string): unknown {
  const segment = segments[i];
  const last = i === segments.length - 1;
  if (segment.kind === 'prop') {
    if (node !== undefined && !isPlainObject(node)) {
      throw new PathNotFoundError(`Unable to apply ReferencePath ${source} to input ${JSON.stringify(node)}`);
    }
    const copy: Record<string, unknown> = { ...(node ?? {}) };
    const existing = Object.hasOwn(copy, segment.name) ? copy[segment.name] : undefined;
    setOwn(copy, segment.name, last ? value : writeAt(segments, i + 1, existing, value, source));
    return copy;
  }
  if (!Array.isArray(node)) {
    throw new PathNotFoundError(`Unable to apply ReferencePath ${source} to input ${JSON.stringify(node ?? null)}`);
  }
  const index = segment.index < 0 ? node.length + segment.index : segment.index;
  if (index < 0 || index >= node.length) {
    throw new PathNotFoundError(`Unable to apply ReferencePath ${source} to input ${JSON.stringify(node)}`);
  }
  const copy = node.slice();
  copy[index] = last ? value : writeAt(segments, i + 1, copy[index], value, source);
  return copy;
}
