/**
 * The only module that knows how functions are traced. Today that is Powertools Tracer (built on
 * aws-xray-sdk-core, which is in maintenance); moving to OpenTelemetry later means rewriting this file only.
 *
 * The tracer is loaded when the first invocation starts, not during module init: aws-xray-sdk-core is a CommonJS
 * monolith (sampling, plugins, patchers, cls-hooked) whose loading and the Tracer's set-up were about 11 ms of a
 * bundle's ~90 ms init CPU (`npm run bench -- cold-start`). The work is not saved, it moves to the first
 * invocation, which the benchmark reports too. Every invocation is still traced from its start: the middleware
 * below loads the tracer before the handler runs, and SDK clients made earlier are captured at that moment.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Tracer } from '@aws-lambda-powertools/tracer';

let tracer: Tracer | undefined;
let loading: Promise<MiddlewareObj> | undefined;
/** SDK clients made before the tracer was loaded (module-level clients); captured as soon as it is. */
const clientsToCapture: object[] = [];

/** Loads and sets up the tracer once; resolves to its middleware (a failed load is retried next time). */
function loadTracer(): Promise<MiddlewareObj> {
  loading ??= (async () => {
    const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
      import('@aws-lambda-powertools/tracer'),
      import('@aws-lambda-powertools/tracer/middleware'),
    ]);
    tracer = new Tracer();
    for (const client of clientsToCapture.splice(0)) tracer.captureAWSv3Client(client);
    // Responses are not captured: they can carry guests' and students' personal data.
    return captureLambdaHandler(tracer, { captureResponse: false });
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Records every call an AWS SDK v3 client makes as a subsegment; returns the client itself. Before the first
 * invocation the capture waits for the tracer (no call is made outside an invocation, so none is missed).
 */
export function traced<Client extends object>(client: Client): Client {
  if (tracer) tracer.captureAWSv3Client(client);
  else clientsToCapture.push(client);
  return client;
}

/**
 * Middy middleware that opens a segment per invocation. Each phase returns nothing: middy would take a value
 * returned from `before` as an early response.
 */
export function tracingMiddleware(): MiddlewareObj {
  return {
    before: async (request) => {
      await (await loadTracer()).before?.(request);
    },
    after: async (request) => {
      await (await loadTracer()).after?.(request);
    },
    onError: async (request) => {
      await (await loadTracer()).onError?.(request);
    },
  };
}
