/**
 * Local-only endpoints under /_local/ (not part of the AWS API):
 *   GET  /_local/clock                      → {"now": ISO}
 *   POST /_local/clock {"advanceSeconds": N} → moves the engine clock N seconds forward (Waits, timeouts and
 *                                              heartbeats fire as if the time had passed) → {"now": ISO}
 *   GET  /_local/state-machines             → {"stateMachines": [DescribeStateMachine answers]}
 *   GET  /_local/executions[?stateMachineArn=…&status=…] → {"executions": [...]}, newest first, STANDARD and EXPRESS
 *   GET  /_local/executions/<url-encoded executionArn> → {"execution", "definition", "events"}: the history of any
 *        execution, EXPRESS included (AWS refuses that via the API; the local dashboard wants it)
 * Executions carry, besides DescribeExecution's fields, stateMachineName, type, testCase and traceId (the X-Ray
 * trace their Lambda tasks joined, when the state machine has tracing enabled).
 * Dates and events have the API's shapes (epoch seconds). Answers carry no CORS header: the dashboards read them on
 * their own origin, through the API port (local/apigw/local-proxy.ts), and server.ts refuses other origins, foreign
 * Host headers and a POST that is not JSON (local/request-guard.ts) before anything here runs.
 * Errors are `{"error","message"}` like the project's REST API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SystemClock } from '@serverless-workflows/sfn-engine';
import type { SfnApiContext } from '../context';
import { SfnApiError } from '../errors';
import { eventsOf, infoOf, type ExecutionEntry } from '../executions';
import { describeExecution } from '../operations/execution-operations';
import { describeStateMachine } from '../state-machines';
import { historyEventToWire } from '../wire-format';
import { readBody } from './aws-json';

class LocalEndpointError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/** Answers JSON: every /_local/ endpoint answers this way. */
export function send(response: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** The largest epoch ms a JavaScript Date can hold (ECMA-262 time values: ±8.64e15). */
const LAST_DATE_MS = 8.64e15;

async function advanceClock(request: IncomingMessage, clock: SystemClock): Promise<void> {
  const text = await readBody(request);
  let body: unknown;
  try {
    body = JSON.parse(text || '{}');
  } catch {
    throw new LocalEndpointError(400, 'ValidationError', 'The body must be JSON: {"advanceSeconds": <seconds>}');
  }
  const seconds = (body as { advanceSeconds?: unknown } | null)?.advanceSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new LocalEndpointError(400, 'ValidationError', 'advanceSeconds must be a number of seconds, 0 or more');
  }
  // Checked before moving: past the last representable date every timestamp (history events, this answer)
  // would be Invalid Date for good, and the clock cannot be moved back.
  if (!(clock.now() + seconds * 1000 <= LAST_DATE_MS)) {
    throw new LocalEndpointError(
      400,
      'ValidationError',
      `advanceSeconds would move the clock past ${new Date(LAST_DATE_MS).toISOString()}, the last date there is`,
    );
  }
  clock.advance(seconds * 1000);
}

/** What the dashboard endpoints add to DescribeExecution's answer (the X-Ray trace id links to its traces). */
const localFields = (entry: ExecutionEntry) => ({
  stateMachineName: entry.meta.stateMachineName,
  type: entry.meta.type,
  ...(entry.meta.testCase ? { testCase: entry.meta.testCase } : {}),
  ...(entry.meta.traceId ? { traceId: entry.meta.traceId } : {}),
});

function listExecutions(context: SfnApiContext, query: URLSearchParams) {
  const stateMachineArn = query.get('stateMachineArn');
  const status = query.get('status');
  return context.executions
    .all()
    .map((entry) => ({ entry, info: infoOf(entry) }))
    .filter(
      ({ entry, info }) =>
        (!stateMachineArn || entry.meta.stateMachineArn === stateMachineArn) && (!status || info.status === status),
    )
    .sort((a, b) => b.info.startDate - a.info.startDate)
    .map(({ entry }) => ({ ...describeExecution(context, entry, false), ...localFields(entry) }));
}

function executionDetail(context: SfnApiContext, executionArn: string) {
  const entry = context.executions.get(executionArn);
  if (!entry) throw new LocalEndpointError(404, 'ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
  return {
    execution: { ...describeExecution(context, entry), ...localFields(entry) },
    definition: entry.meta.stateMachine.definition,
    events: eventsOf(entry).map((event) => historyEventToWire(event, true)),
  };
}

/** Answers a /_local/ request. */
export async function handleLocalRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: SfnApiContext,
  clock: SystemClock,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = `${request.method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    if (route === 'GET /_local/clock') return send(response, 200, { now: new Date(clock.now()).toISOString() });
    if (route === 'POST /_local/clock') {
      await advanceClock(request, clock);
      return send(response, 200, { now: new Date(clock.now()).toISOString() });
    }
    if (route === 'GET /_local/state-machines') {
      return send(response, 200, {
        stateMachines: context.stateMachines.list().map((record) => describeStateMachine(record)),
      });
    }
    if (route === 'GET /_local/executions')
      return send(response, 200, { executions: listExecutions(context, url.searchParams) });
    const detail = /^GET \/_local\/executions\/(.+)$/.exec(route);
    if (detail) {
      let executionArn: string;
      try {
        executionArn = decodeURIComponent(detail[1]);
      } catch {
        throw new LocalEndpointError(400, 'ValidationError', 'The execution ARN in the path must be URL-encoded');
      }
      return send(response, 200, executionDetail(context, executionArn));
    }
    throw new LocalEndpointError(404, 'NotFound', `No local endpoint ${route}`);
  } catch (error) {
    if (error instanceof LocalEndpointError)
      return send(response, error.statusCode, { error: error.error, message: error.message });
    // readBody's refusal of an oversized body, in this API's error shape rather than AWS's
    if (error instanceof SfnApiError)
      return send(response, error.statusCode, { error: error.code, message: error.message });
    throw error;
  }
}
