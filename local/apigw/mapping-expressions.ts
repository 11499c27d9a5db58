import { JSONPath } from 'jsonpath-plus';
import { header } from './api-request';
import { ownPath, ownValue } from './name-map';

/**
 * API Gateway's parameter mapping expressions (request parameters, response parameters, gateway response
 * parameters): a quoted static value `'text'`, or a reference to request, response, context or stage data.
 */

export interface MappingSources {
  request: {
    path: Record<string, string>;
    querystring: Record<string, string>;
    header: Record<string, string>;
    multivalueheader?: Record<string, string[]>;
  };
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
  integrationResponse?: { headers: Record<string, string>; body: string };
}

function bodyPath(body: string, path: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const [value] = JSONPath({ path: `$.${path}`, json: json as object, wrap: true, eval: 'safe' }) as unknown[];
  return value;
}

/** The value an expression maps to, or undefined when what it names is absent (the parameter is then not set). */
export function evaluateMappingExpression(expression: string, sources: MappingSources): string | undefined {
  const text = expression.trim();
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1);
  let match = /^method\.request\.(path|querystring|header|multivalueheader)\.(.+)$/.exec(text);
  if (match) {
    const [, location, name] = match;
    if (location === 'header') return header(sources.request.header, name);
    if (location === 'multivalueheader')
      return sources.request.multivalueheader && ownValue(sources.request.multivalueheader, name)?.join(',');
    return ownValue((sources.request as unknown as Record<string, Record<string, string>>)[location], name);
  }
  match = /^integration\.response\.(header|body)(?:\.(.+))?$/.exec(text);
  if (match && sources.integrationResponse) {
    const [, part, rest] = match;
    if (part === 'header') return rest === undefined ? undefined : header(sources.integrationResponse.headers, rest);
    if (rest === undefined) return sources.integrationResponse.body;
    const value = bodyPath(sources.integrationResponse.body, rest);
    return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  }
  match = /^context\.(.+)$/.exec(text);
  if (match) {
    const value = ownPath(sources.context, match[1].split('.'));
    return value === undefined || value === null ? undefined : String(value);
  }
  match = /^stageVariables\.(.+)$/.exec(text);
  if (match) return ownValue(sources.stageVariables, match[1]);
  return undefined;
}
