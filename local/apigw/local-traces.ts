/**
 * `GET /_local/traces[?limit=N]` and `GET /_local/traces/<traceId>` (local only, for the dashboard): the X-Ray
 * traces the functions sent to the local collector, newest first, each as a tree of its segments.
 * Errors are `{"error","message"}` like the REST API's.
 */
import type { Trace } from '../xray/collector';
import { buildTraceView, type TraceView } from '../xray/trace-tree';

export const TRACES_PATH = '/_local/traces';
const MAX_LIMIT = 500;
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

export type TracesAnswer =
  | { status: 200; body: { traces: TraceView[] } | TraceView }
  | { status: 400 | 404; body: { error: string; message: string } };

/** The answer for a path under /_local/traces, or undefined when the path is not one of these routes. */
export function tracesAnswer(
  pathname: string,
  query: URLSearchParams,
  traces: () => readonly Trace[],
): TracesAnswer | undefined {
  const path = pathname.replace(/\/+$/, '');
  if (path === TRACES_PATH) {
    const limitText = query.get('limit');
    const limit = limitText === null ? MAX_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return {
        status: 400,
        body: { error: 'ValidationError', message: `limit must be a whole number from 1 to ${MAX_LIMIT}` },
      };
    }
    return { status: 200, body: { traces: traces().slice(0, limit).map(buildTraceView) } };
  }
  if (!path.startsWith(`${TRACES_PATH}/`)) return undefined;
  const id = path.slice(TRACES_PATH.length + 1);
  if (!TRACE_ID.test(id))
    return {
      status: 400,
      body: { error: 'ValidationError', message: 'A trace id looks like 1-<8 hex digits>-<24 hex digits>' },
    };
  const trace = traces().find((candidate) => candidate.id === id);
  if (!trace)
    return {
      status: 404,
      body: {
        error: 'TraceNotFound',
        message: `No trace ${id} was received (the collector keeps the most recent ones only)`,
      },
    };
  return { status: 200, body: buildTraceView(trace) };
}
