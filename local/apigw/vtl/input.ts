import { JSONPath } from 'jsonpath-plus';
import { header } from '../api-request';
import { nameMap, ownValue, parseJsonToNameMaps } from '../name-map';
import { MappingTemplateError } from './velocity';

/** The method request's parameters as templates see them through `$input.params()`. */
export interface RequestParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

/**
 * A JSONPath is "definite" (Jayway's term, which API Gateway uses) when it names one place: it then yields
 * that value, while wildcards, deep scans, filters, unions and slices yield a list.
 */
function isDefinite(path: string): boolean {
  return !/\.\.|\*|\[\s*\?|\[[^\]]*[,:][^\]]*\]/.test(path);
}

function evaluate(json: unknown, path: string): unknown {
  if (typeof path !== 'string' || !path.startsWith('$')) {
    throw new MappingTemplateError(`invalid JSONPath ${JSON.stringify(path)}: it must start with $`);
  }
  let matches: unknown[] | undefined;
  try {
    matches = JSONPath({ path, json: json as object, wrap: true, eval: 'safe' }) as unknown[] | undefined;
  } catch (error) {
    throw new MappingTemplateError(`invalid JSONPath ${path}: ${(error as Error).message}`);
  }
  // jsonpath-plus answers undefined, not a list, when the document is a falsy JSON value (null, 0, false, "");
  // `$` still names that value, and any deeper path matches nothing.
  if (matches === undefined) matches = path.trim() === '$' ? [json] : [];
  return isDefinite(path) ? matches[0] : matches;
}

/**
 * `$input` for a payload (the method request body in a request template, the integration response body in a
 * response template). The body is parsed once and `$input.path` hands out that very object, so a template
 * that `#set`s a field of `$input.path('$')` changes what `$input.json('$')` prints, as in API Gateway.
 * An empty body is `{}`; a body that is not JSON is the string itself. Its objects are name maps: a client's
 * key such as `toString` is an entry of the Map, never a JavaScript member.
 */
export function createInput(body: string, params: RequestParams) {
  let parsed: { value: unknown } | undefined;
  const root = (): unknown => {
    if (!parsed) {
      if (body.trim() === '') parsed = { value: nameMap() };
      else {
        try {
          parsed = { value: parseJsonToNameMaps(body) };
        } catch {
          parsed = { value: body };
        }
      }
    }
    return parsed.value;
  };
  const all = (): Record<string, Record<string, string>> =>
    nameMap([
      ['path', nameMap(Object.entries(params.path))],
      ['querystring', nameMap(Object.entries(params.querystring))],
      ['header', nameMap(Object.entries(params.header))],
    ]);
  return {
    body,
    /** The value at `path` as JSON text; a path that matches nothing gives `""` (an empty JSON string). */
    json(path: string): string {
      const value = evaluate(root(), path);
      return value === undefined ? '""' : JSON.stringify(value);
    },
    /** The value at `path` itself (a Map, List, String, number, boolean or null). */
    path(path: string): unknown {
      return evaluate(root(), path);
    },
    /** All parameters, or the named one from the path, then the query string, then the headers ('' if none). */
    params(name?: string): unknown {
      if (name === undefined) return all();
      // The name may come from the request itself (`$input.params($input.path('$.field'))`): only own entries count.
      const key = String(name);
      const value = ownValue(params.path, key) ?? ownValue(params.querystring, key);
      if (value !== undefined) return value;
      return header(params.header, key) ?? '';
    },
  };
}
