/**
 * The only module that knows how functions are traced: with aws-xray-sdk-core, the X-Ray SDK (in maintenance;
 * moving to OpenTelemetry later means rewriting this file only). Each invocation gets a `## <handler>` subsegment
 * under Lambda's own segment, annotated ColdStart and Service, and each AWS call a subsegment beneath it: what
 * Powertools Tracer recorded (captureLambdaHandler, captureAWSv3Client), without its cold-start cost. Tracer also
 * loads aws-xray-sdk-core, and on top patches node:http, node:https and fetch globally and brings its own
 * dependencies: 10-13 ms of every cold start (issue 17), for HTTP subsegments that only SeedRooms' one
 * CloudFormation answer needs (`tracedRemoteCall` records that one).
 *
 * The SDK's own modules are imported, not its index: the index loads every patcher (the SDK v2 one with semver, the
 * HTTP and promise ones), the EC2/ECS/Beanstalk plugins and the SQL helpers, another ~8 ms of every cold start. What
 * the index does in Lambda besides is the Lambda set-up (env/aws_lambda init: the facade segment that carries the
 * invocation's trace header), done here as it does it. The paths are those of aws-xray-sdk-core 3.x's published
 * dist/lib (no exports map restricts them; the package is in maintenance, its layout settled):
 * tests/integration/functions.test.ts checks the trace they record.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Segment, Subsegment } from 'aws-xray-sdk-core';
import { getSegment, setContextMissingStrategy, setSegment } from 'aws-xray-sdk-core/dist/lib/context_utils';
import { init as initLambdaEnvironment } from 'aws-xray-sdk-core/dist/lib/env/aws_lambda';
import { captureAWSClient } from 'aws-xray-sdk-core/dist/lib/patchers/aws3_p';

if (process.env.LAMBDA_TASK_ROOT) initLambdaEnvironment();

/**
 * Powertools Tracer's switches, kept so that configuration written for it still applies (the local Lambda runner
 * sets POWERTOOLS_TRACE_ENABLED=false when no X-Ray collector runs): off with POWERTOOLS_TRACE_ENABLED=false,
 * outside Lambda (no AWS_EXECUTION_ENV) and in `sam local` (AWS_SAM_LOCAL), which has no X-Ray daemon.
 */
const tracingEnabled =
  process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' &&
  Boolean(process.env.AWS_EXECUTION_ENV) &&
  !process.env.AWS_SAM_LOCAL;

// A call outside any segment is not an error worth a log line (Powertools Tracer's default too), unless
// AWS_XRAY_CONTEXT_MISSING says otherwise (the SDK then ignores this call).
if (!process.env.AWS_XRAY_CONTEXT_MISSING) setContextMissingStrategy('IGNORE_ERROR');

/** Records every call an AWS SDK v3 client makes as a subsegment; returns the client itself. */
export function traced<Client extends Parameters<typeof captureAWSClient>[0]>(client: Client): Client {
  return tracingEnabled ? captureAWSClient(client) : client;
}

/** Provisioned concurrency initialises ahead of any request: its first invocation is not a cold start. */
let coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';

/** The open subsegments, per invocation (middy's request object), so concurrent invocations do not mix them. */
const openSegments = new WeakMap<object, { lambda: Segment | Subsegment; handler: Subsegment }>();

function close(request: object, error?: unknown): void {
  const segments = openSegments.get(request);
  if (!segments) return;
  openSegments.delete(request);
  if (error !== undefined) segments.handler.addError(error instanceof Error ? error : String(error));
  segments.handler.close();
  setSegment(segments.lambda);
}

/**
 * Middy middleware that opens a `## <handler>` subsegment per invocation, as Powertools Tracer's
 * captureLambdaHandler does (the same name and annotations, an error recorded on it). Responses are not captured:
 * they can carry guests' and students' personal data.
 */
export function tracingMiddleware<Event, Result>(): MiddlewareObj<Event, Result> {
  return {
    before: (request) => {
      const wasColdStart = coldStart;
      coldStart = false;
      if (!tracingEnabled) return;
      const lambda = getSegment();
      if (!lambda) return;
      const handler = lambda.addNewSubsegment(`## ${process.env._HANDLER}`);
      handler.addAnnotation('ColdStart', wasColdStart);
      handler.addAnnotation('Service', process.env.POWERTOOLS_SERVICE_NAME || 'service_undefined');
      openSegments.set(request, { lambda, handler });
      setSegment(handler);
    },
    after: (request) => close(request),
    onError: (request) => close(request, request.error),
  };
}

/**
 * Runs `call`, a request to `url` outside the AWS SDK, in a remote subsegment named after its host (what X-Ray's
 * HTTP patcher records: method, the URL without its query, which may be a credential, and the response status).
 */
export async function tracedRemoteCall<Result extends { status: number }>(
  url: URL,
  method: string,
  call: () => Promise<Result>,
): Promise<Result> {
  const parent = tracingEnabled ? getSegment() : undefined;
  if (!parent) return call();
  const subsegment = parent.addNewSubsegment(url.hostname);
  subsegment.namespace = 'remote';
  const request = { url: `${url.origin}${url.pathname}`, method };
  try {
    const result = await call();
    subsegment.addAttribute('http', { request, response: { status: result.status } });
    if (result.status === 429) subsegment.addThrottleFlag();
    else if (result.status >= 500) subsegment.addFaultFlag();
    else if (result.status >= 400) subsegment.addErrorFlag();
    subsegment.close();
    return result;
  } catch (error) {
    subsegment.addAttribute('http', { request });
    subsegment.close(error as Error, true);
    throw error;
  }
}
