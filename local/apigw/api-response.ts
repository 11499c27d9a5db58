import type { ServerResponse } from 'node:http';
import { nameMap } from './name-map';

/** What the emulator answers: API Gateway keeps every header's values as a list (multiValueHeaders). */
export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string | Buffer;
}

/** Sends the response with API Gateway's own headers (request id, date); a HEAD answer carries no body. */
export function sendApiResponse(res: ServerResponse, response: ApiResponse, requestId: string, isHead: boolean): void {
  const headers = nameMap(Object.entries(response.headers));
  const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  if (!has('x-amzn-requestid')) headers['x-amzn-RequestId'] = [requestId];
  if (!has('content-type')) headers['Content-Type'] = ['application/json'];
  res.statusCode = response.statusCode;
  for (const [name, values] of Object.entries(headers)) {
    try {
      res.setHeader(name, values.length === 1 ? values[0] : values);
    } catch {
      // A value Node refuses (a control character from a template or a function): API Gateway drops such
      // headers too rather than failing the whole response.
    }
  }
  res.end(isHead ? undefined : response.body);
}
