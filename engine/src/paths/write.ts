/** ResultPath: writing a value into the state input at a definite reference path, without mutating the input. */
import { isPlainObject, setOwn } from '../json/objects';
import type { CompiledPath, Segment } from './compiled-path';
import { PathNotFoundError } from './path-not-found';

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
