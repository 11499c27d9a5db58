/**
 * A JSONPath parsed once: its root (`$`, `$$` or `$variable`) and, for a definite path simple enough to walk by
 * hand, its segments. AWS evaluates paths with Jayway JsonPath (Java): a definite path ($.a.b[0]) yields one value
 * or fails with Jayway's texts; an indefinite path ($..a, $.a[*], filters, slices) yields an array and is left to
 * jsonpath-plus.
 */

export type Segment = { kind: 'prop'; name: string } | { kind: 'index'; index: number };

/** A parsed path. `root` says what `$` refers to: the data, the context object (`$$`) or a variable (`$name`). */
export interface CompiledPath {
  source: string;
  root: { kind: 'data' } | { kind: 'context' } | { kind: 'variable'; name: string };
  /** The path relative to its root, in `$...` form (what jsonpath-plus gets for indefinite paths). */
  relative: string;
  /** Set when the path is definite and simple enough to walk by hand. */
  segments?: Segment[];
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

/** A segment as Jayway writes it in messages: `['name']` or `[0]`. */
export function segmentText(segment: Segment): string {
  return segment.kind === 'prop' ? `['${segment.name}']` : `[${segment.index}]`;
}
