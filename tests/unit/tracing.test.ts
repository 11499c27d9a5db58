/**
 * functions/shared/infrastructure/tracing.ts as Lambda runs it (LAMBDA_TASK_ROOT, AWS_EXECUTION_ENV, a trace header),
 * its segments sent to a local X-Ray collector: the handler's subsegment with Powertools Tracer's name and
 * annotations, an error recorded on it, and a remote call's subsegment without the URL's query (a pre-signed URL's
 * query is a credential). The module reads its environment when loaded, so each test loads it afresh.
 */
import type { MiddlewareObj } from '@middy/core';
import { XRayCollector, type SegmentDocument } from '../../local/xray/collector';

type Tracing = typeof import('../../functions/shared/infrastructure/tracing');

const TRACE_ID = '1-6b100000-0123456789abcdef01234567';
const LAMBDA_SEGMENT_ID = '53995c3f42cd8ad8';

let collector: XRayCollector;
const savedEnvironment = { ...process.env };

beforeAll(async () => {
  collector = await XRayCollector.start();
});
afterAll(async () => {
  await collector.close();
});
afterEach(() => {
  process.env = { ...savedEnvironment };
});

function loadTracing(): Tracing {
  Object.assign(process.env, {
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_XRAY_DAEMON_ADDRESS: collector.address,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    POWERTOOLS_SERVICE_NAME: 'tracing-test',
    _HANDLER: 'app.handler',
    _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT_ID};Sampled=1`,
  });
  let tracing: Tracing | undefined;
  jest.isolateModules(() => {
    tracing = require('../../functions/shared/infrastructure/tracing') as Tracing;
  });
  return tracing!;
}

async function documents(count: number): Promise<SegmentDocument[]> {
  for (let waited = 0; waited < 2000; waited += 10) {
    const segments = collector.getTrace(TRACE_ID)?.segments ?? [];
    if (segments.length >= count) return segments;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the collector received fewer than ${count} documents`);
}

/** One invocation through the middleware, `body` running between its before and its after (or onError). */
async function invoke(middleware: MiddlewareObj<unknown, unknown>, body: () => Promise<void>): Promise<void> {
  const request = {
    event: {},
    context: {},
    response: undefined,
    error: undefined,
    internal: {},
  } as never as Parameters<NonNullable<MiddlewareObj['before']>>[0];
  await middleware.before?.(request);
  try {
    await body();
    await middleware.after?.(request);
  } catch (error) {
    (request as { error: unknown }).error = error;
    await middleware.onError?.(request);
  }
}

it("records the handler's subsegment under Lambda's, and a remote call's under it, without the URL's query", async () => {
  const { tracingMiddleware, tracedRemoteCall } = loadTracing();
  await invoke(tracingMiddleware(), async () => {
    await tracedRemoteCall(
      new URL('https://bucket.s3.amazonaws.com/answer?X-Amz-Signature=secret'),
      'PUT',
      async () => ({
        status: 503,
      }),
    );
  });
  const [remote, handler] = await documents(2);
  expect(handler).toMatchObject({
    name: '## app.handler',
    parent_id: LAMBDA_SEGMENT_ID,
    annotations: { ColdStart: true, Service: 'tracing-test' },
  });
  expect(remote).toMatchObject({
    name: 'bucket.s3.amazonaws.com',
    namespace: 'remote',
    parent_id: handler.id,
    fault: true,
    http: { request: { url: 'https://bucket.s3.amazonaws.com/answer', method: 'PUT' }, response: { status: 503 } },
  });
  expect(JSON.stringify(remote)).not.toContain('secret');
});

it('records an invocation error on the handler subsegment; the next invocation is no cold start', async () => {
  const { tracingMiddleware } = loadTracing();
  const middleware = tracingMiddleware();
  await invoke(middleware, async () => {
    throw new TypeError('broken');
  });
  await invoke(middleware, async () => undefined);
  const [failed, next] = (await documents(4)).slice(2);
  expect(failed).toMatchObject({ name: '## app.handler', fault: true, annotations: { ColdStart: true } });
  expect(JSON.stringify(failed.cause)).toContain('broken');
  expect(next).toMatchObject({ name: '## app.handler', annotations: { ColdStart: false } });
});

it('records nothing with POWERTOOLS_TRACE_ENABLED=false, and the remote call still runs', async () => {
  const before = (await documents(4)).length;
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  const disabled = loadTracing();
  let called = false;
  await invoke(disabled.tracingMiddleware(), async () => {
    await disabled.tracedRemoteCall(new URL('https://example.com/'), 'PUT', async () => {
      called = true;
      return { status: 200 };
    });
  });
  expect(called).toBe(true);
  // Then a traced invocation: once its one document has arrived, anything the untraced one had sent (on loopback,
  // earlier) would have too.
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  await invoke(loadTracing().tracingMiddleware(), async () => undefined);
  const after = await documents(before + 1);
  expect(after).toHaveLength(before + 1);
  expect(after[before]).toMatchObject({ name: '## app.handler' });
});
