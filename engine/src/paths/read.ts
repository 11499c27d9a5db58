/**
 * Reading a compiled path relative to its root with Jayway's semantics and messages ("No results for path:
 * $['a']", "Missing property in path $['a']"): definite paths are walked here by hand because jsonpath-plus neither
 * fails on a missing property nor reports where; indefinite ones go to jsonpath-plus.
 */
import { JSONPath } from 'jsonpath-plus';
import { isPlainObject } from '../json/objects';
import { segmentText, type CompiledPath } from './compiled-path';
import { PathNotFoundError } from './path-not-found';

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
    const here = evalPath + segmentText(segment);
    if (segment.kind === 'prop') {
      if (!isPlainObject(current)) {
        throw new PathNotFoundError(
          `Expected to find an object with property ${segmentText(segment)} in path ${evalPath} but found '${javaType(current)}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.`,
        );
      }
      if (!Object.hasOwn(current, segment.name)) {
        throw new PathNotFoundError(leaf ? `No results for path: ${here}` : `Missing property in path ${here}`);
      }
      current = current[segment.name];
    } else {
      if (!Array.isArray(current)) {
        throw new PathNotFoundError(
          `Filter: ${segmentText(segment)} can only be applied to arrays. Current context is: ${JSON.stringify(current ?? null)}`,
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
