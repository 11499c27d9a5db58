/**
 * One function's execution environment: a child process forked by the Lambda runner (function-process.ts).
 * It plays the part of Lambda's Node.js runtime interface client: loads the handler (init phase), then runs
 * one invocation at a time with a Lambda context, formats console output like the runtime does, and reports
 * results and errors in the runtime's shapes. The runner enforces the timeout by killing this process.
 *
 * The function's clock is the local cloud's (the Step Functions engine's): `Date` reads real time plus the offset
 * the runner sends with each invocation (and at start, for the init phase), so a deadline a function computes after
 * POST <sfn>/_local/clock is the one the engine enforces. Timers, and the runtime's own timeout, stay on real time.
 *
 * Runs directly under Node 24 (type stripping; .mts so Node loads it as ESM without guessing), so it imports
 * nothing but node: modules and types. Usage: node worker.mts <bundle file> <export name> [<clock offset ms>]
 */
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import type { InvokeMessage, LambdaErrorPayload, WorkerMessage } from './protocol';

type Handler = (event: unknown, context: object) => unknown;

const [bundleFile, exportName, initialClockOffset] = process.argv.slice(2);
let currentRequestId: string | undefined;

const RealDate = Date;
/** How far the local cloud's clock is ahead of real time (ms): set at start and by each invocation. */
let clockOffsetMs = Number(initialClockOffset ?? 0) || 0;

/**
 * Replaces the global `Date` with one that reads the local cloud's clock: `Date.now()`, `new Date()` and `Date()`
 * are shifted by clockOffsetMs; everything else (`new Date(value)`, `Date.parse`, `Date.UTC`, the prototype, so
 * `instanceof Date` and subclasses) is the real Date's. Installed before the handler's module loads, so the
 * function, its libraries and the AWS SDK all read it. (The SDK signs requests with it: DynamoDB Local and the SES
 * capture accept any signing time, and the SDK corrects its skew from their Date header.)
 */
function shiftDate(): void {
  const now = () => RealDate.now() + clockOffsetMs;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
  });
}

function send(message: WorkerMessage, then?: () => void): void {
  process.send?.(message, undefined, {}, then);
}

/** The runtime's error serialisation (aws-lambda-nodejs-runtime-interface-client Errors.toRapidResponse). */
function toErrorPayload(error: unknown): LambdaErrorPayload {
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error && 'stack' in error)) {
    const e = error as Error;
    return { errorType: e.name, errorMessage: e.message, trace: String(e.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function maxMemoryUsedMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** stdout/stderr travel over the IPC channel so that every line stays ordered with its invocation's result. */
function captureOutput(stream: NodeJS.WriteStream): void {
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    send({ type: 'log', text });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  }) as typeof stream.write;
}

/** Like the runtime: `<ISO time>\t<request id>\t<LEVEL>\t<message>` per console call. */
function patchConsole(): void {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
      const line = `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}`;
      process.stdout.write(`${line.replace(/\n/g, '\r')}\n`);
    };
  }
}

async function loadHandler(): Promise<Handler> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(bundleFile).href)) as Record<string, unknown>;
  } catch (error) {
    const payload = toErrorPayload(error);
    const notFound = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    throw notFound
      ? {
          errorType: 'Runtime.ImportModuleError',
          errorMessage: `Error: Cannot find module '${bundleFile}'`,
          trace: payload.trace,
        }
      : payload;
  }
  // A CommonJS bundle's exports arrive as named exports when Node can detect them, else under `default`.
  const handler = module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof handler !== 'function') {
    throw {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${bundleFile}.${exportName} is undefined or not exported`,
      trace: [],
    };
  }
  return handler as Handler;
}

function contextFor(message: InvokeMessage): object {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    // The runner's deadline is real time, as its timeout timer is.
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - RealDate.now()),
  };
}

function serialise(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  currentRequestId = message.requestId;
  clockOffsetMs = message.clockOffsetMs;
  process.env._X_AMZN_TRACE_ID = message.traceHeader;
  try {
    const result = await handler(JSON.parse(message.event), contextFor(message));
    let payload: string;
    try {
      payload = serialise(result);
    } catch (error) {
      throw {
        errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to stringify response body: ${(error as Error).message}`,
        trace: [],
      };
    }
    send({ type: 'result', requestId: message.requestId, payload, maxMemoryUsedMB: maxMemoryUsedMB() });
  } catch (error) {
    const payload = error instanceof Error ? toErrorPayload(error) : isPayload(error) ? error : toErrorPayload(error);
    send({ type: 'error', requestId: message.requestId, error: payload, maxMemoryUsedMB: maxMemoryUsedMB() });
  } finally {
    currentRequestId = undefined;
  }
}

function isPayload(value: unknown): value is LambdaErrorPayload {
  return (
    !!value && typeof value === 'object' && 'errorType' in value && 'errorMessage' in value && !(value instanceof Error)
  );
}

/** An error outside the handler's promise ends the environment, as in Lambda; the current invocation gets it. */
function fail(error: LambdaErrorPayload): void {
  const exit = () => process.exit(129);
  if (currentRequestId)
    send({ type: 'error', requestId: currentRequestId, error, maxMemoryUsedMB: maxMemoryUsedMB(), fatal: true }, exit);
  else exit();
}

async function main(): Promise<void> {
  captureOutput(process.stdout);
  captureOutput(process.stderr);
  patchConsole();
  shiftDate();
  process.on('uncaughtException', (error) => fail(toErrorPayload(error)));
  process.on('unhandledRejection', (reason) => {
    fail({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: String(reason instanceof Error ? `${reason.name}: ${reason.message}` : reason),
      trace: [],
    });
  });
  // The runner went away (crashed or was killed): nothing can use this environment any more.
  process.on('disconnect', () => process.exit());

  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    // Like Lambda, a failed init fails this invocation and the next one starts a fresh environment.
    send({ type: 'init-error', error: isPayload(error) ? error : toErrorPayload(error) }, () => process.exit(1));
    return;
  }
  process.on('message', (message: InvokeMessage) => {
    if (message?.type === 'invoke') void invoke(handler, message);
  });
  send({ type: 'ready' });
}

void main();
