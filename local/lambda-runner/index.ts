import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { nodeBinary } from '../node-binary';
import { PROJECT_ROOT, type Template } from '../template/load';
import type { SegmentDocument } from '../xray/collector';
import { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader } from '../xray/trace-header';
import { runtimeEnvironment, type LocalEndpoints } from './environment';
import { FunctionConfigError, readFunctionConfigs, type FunctionConfig } from './function-config';
import { FunctionPool } from './function-pool';
import { IntrinsicResolver, LOCAL_ACCOUNT_ID } from '../template/intrinsics';
import type { LambdaErrorPayload } from './protocol';
import { type INJECTABLE_LAMBDA_ERRORS, LambdaFaults, type InjectableLambdaError } from './faults';

export type { LambdaErrorPayload } from './protocol';
export { FunctionConfigError, type FunctionConfig } from './function-config';
export type { LocalEndpoints } from './environment';

export interface LambdaInvokeResult {
  statusCode: number;
  payload: unknown;
  functionError?: 'Unhandled';
  logs?: string;
}

export interface LambdaInvoker {
  invoke(functionName: string, event: unknown, options?: { traceHeader?: string }): Promise<LambdaInvokeResult>;
}

/** An error of the Lambda service itself (not of the function), named like the Invoke API's error codes. */
export class LambdaServiceError extends Error {
  constructor(
    name:
      | 'ResourceNotFoundException'
      | 'RequestTooLargeException'
      | 'InvalidRequestContentException'
      | (typeof INJECTABLE_LAMBDA_ERRORS)[InjectableLambdaError]['code'],
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = name;
  }
}

/** Where the runner sends its own per-invocation segments (the "AWS::Lambda::Function" node of a trace). */
export interface SegmentRecorder {
  /** host:port given to the functions as AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  record(document: SegmentDocument): void;
}

export interface LambdaRunnerOptions {
  template: Template;
  region?: string;
  /** Built bundles, one folder per logical id (default dist/functions, where `npm run build` writes them). */
  codeRoot?: string;
  endpoints?: LocalEndpoints;
  xray?: SegmentRecorder;
  /** Template parameter values for the local cloud (e.g. TestingCentreUrl pointing at the local web server). */
  parameterOverrides?: Record<string, string>;
  /** By function logical id, values that replace those of its template variables (npm run invoke --env-vars). */
  environmentOverrides?: Record<string, Record<string, string>>;
  /** Execution environments per function at once (default 2); further invocations wait for one to be free. */
  maxConcurrency?: number;
  /** Each line a function writes, as it writes it. */
  onLog?: (functionName: string, line: string) => void;
  /** The Node binary for function processes (default: Node 24 from the node devDependency). */
  nodePath?: string;
  /**
   * The local cloud's clock (the Step Functions API's, local/sfn-api/local-clock.ts): each invocation's `Date` reads
   * real time plus its offset, so the functions see the engine's time. The offset itself, not `now() - Date.now()`:
   * two reads of real time can straddle a millisecond and put a function 1 ms ahead of the clock. Default: real time.
   */
  clock?: { readonly offsetMs: number };
}

const MAX_REQUEST_BYTES = 6_291_456;
const MAX_RESPONSE_BYTES = 6_291_556;
const WORKER_PATH = path.join(__dirname, 'worker.mts');

/**
 * Runs the template's functions locally, like Lambda: each in its own warm child process with its template
 * environment, its Timeout enforced, and crashes contained, so no function can take the local cloud down.
 */
export class LambdaRunner implements LambdaInvoker {
  readonly region: string;
  private readonly configs: Map<string, FunctionConfig | FunctionConfigError>;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly codeRoot: string;
  private readonly nodePath: string;
  /** Local-only: Invoke failures armed for the next invocations of a function (POST <sfn>/_local/faults). */
  readonly faults = new LambdaFaults((functionName) => {
    const logicalId = this.logicalIdOf(functionName);
    return this.configs.has(logicalId) ? logicalId : undefined;
  });

  /** One per runner (a local cloud): every process of a function gets the same, so a page token opens in any of them. */
  private readonly localSecret = randomBytes(32).toString('base64url');

  constructor(private readonly options: LambdaRunnerOptions) {
    this.region = options.region ?? 'us-east-1';
    this.codeRoot = options.codeRoot ?? path.join(PROJECT_ROOT, 'dist', 'functions');
    this.nodePath = options.nodePath ?? nodeBinary();
    const resolver = new IntrinsicResolver(options.template, {
      region: this.region,
      parameterOverrides: options.parameterOverrides,
    });
    this.configs = readFunctionConfigs(options.template, resolver);
    for (const [logicalId, overrides] of Object.entries(options.environmentOverrides ?? {})) {
      const config = this.configs.get(logicalId);
      if (config && !(config instanceof FunctionConfigError))
        config.environment = { ...config.environment, ...overrides };
    }
  }

  /** The logical ids of the functions this runner can invoke. */
  get functionNames(): string[] {
    return [...this.configs.keys()];
  }

  /**
   * The template settings of a function, by any name `invoke` accepts; undefined when there is none.
   * Throws FunctionConfigError for a function whose settings cannot be resolved locally.
   */
  functionConfig(functionName: string): FunctionConfig | undefined {
    const config = this.configs.get(this.logicalIdOf(functionName));
    if (config instanceof FunctionConfigError) throw config;
    return config;
  }

  functionArn(logicalId: string): string {
    return `arn:aws:lambda:${this.region}:${LOCAL_ACCOUNT_ID}:function:${logicalId}`;
  }

  /** The bundle a function runs: <codeRoot>/<LogicalId>/<handler file>.js (or .mjs/.cjs, whichever the build wrote). */
  bundleFile(config: FunctionConfig): string {
    const base = path.join(this.codeRoot, config.logicalId, config.handlerFile);
    return (
      ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((file) => existsSync(file)) ?? `${base}.js`
    );
  }

  /** The environment a function's process gets (template variables resolved, local endpoints, runtime variables). */
  environmentOf(config: FunctionConfig): Record<string, string> {
    return runtimeEnvironment(config, {
      region: this.region,
      endpoints: this.options.endpoints ?? {},
      xrayDaemonAddress: this.options.xray?.address,
      taskRoot: path.join(this.codeRoot, config.logicalId),
      localSecret: this.localSecret,
    });
  }

  async invoke(
    functionName: string,
    event: unknown,
    options: { traceHeader?: string } = {},
  ): Promise<LambdaInvokeResult> {
    const config = this.functionConfig(functionName);
    if (!config) {
      throw new LambdaServiceError(
        'ResourceNotFoundException',
        `Function not found: ${this.functionArn(this.logicalIdOf(functionName))}`,
        404,
      );
    }
    const eventText = JSON.stringify(event === undefined ? {} : event);
    if (eventText === undefined)
      throw new LambdaServiceError('InvalidRequestContentException', 'Could not parse request body into json', 400);
    if (Buffer.byteLength(eventText) > MAX_REQUEST_BYTES) {
      throw new LambdaServiceError(
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
        413,
      );
    }

    // An armed fault fails the call as the Lambda service would: before the function's code runs, or once it ran
    // (its effects happened, its answer is lost).
    const fault = this.faults.take(config.logicalId);
    if (fault?.when === 'before') throw new LambdaServiceError(fault.code, fault.message, fault.statusCode);

    const requestId = randomUUID();
    const incoming = parseTraceHeader(options.traceHeader);
    const traceId = incoming?.root ?? newTraceId();
    const segmentId = newSegmentId();
    // Tracing: Active samples unless the caller decided otherwise; PassThrough follows the caller's decision.
    const sampled =
      this.options.xray !== undefined && (config.tracing ? incoming?.sampled !== false : incoming?.sampled === true);
    const startTime = Date.now() / 1000;

    const outcome = await this.pool(config).invoke({
      requestId,
      event: eventText,
      traceHeader: formatTraceHeader({ root: traceId, parent: segmentId, sampled }),
      invokedFunctionArn: this.functionArn(config.logicalId),
    });

    let payload: unknown;
    let failed = outcome.failed;
    if (typeof outcome.payload === 'string' && Buffer.byteLength(outcome.payload) > MAX_RESPONSE_BYTES) {
      payload = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      };
      failed = true;
    } else {
      payload = typeof outcome.payload === 'string' ? JSON.parse(outcome.payload) : outcome.payload;
    }
    if (sampled)
      this.recordSegment(config, {
        traceId,
        segmentId,
        parentId: incoming?.parent,
        startTime,
        requestId,
        failed,
        outcome: payload,
      });
    if (fault) throw new LambdaServiceError(fault.code, fault.message, fault.statusCode);
    return { statusCode: 200, payload, ...(failed ? { functionError: 'Unhandled' as const } : {}), logs: outcome.logs };
  }

  /** Pids of every running function process. */
  get pids(): number[] {
    return [...this.pools.values()].flatMap((pool) => pool.pids);
  }

  /** Stops every function process. */
  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  /** How far the clock is ahead of real time (ms). */
  private clockOffsetMs(): number {
    return this.options.clock?.offsetMs ?? 0;
  }

  /** A logical id from a name, a name with a qualifier, or a (partial) function ARN. */
  private logicalIdOf(functionName: string): string {
    const arn = /^(?:arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:|\d{12}:function:)?([^:]+)(?::[^:]+)?$/.exec(
      functionName,
    );
    return arn ? arn[1] : functionName;
  }

  private pool(config: FunctionConfig): FunctionPool {
    let pool = this.pools.get(config.logicalId);
    if (!pool) {
      pool = new FunctionPool(
        {
          config,
          bundleFile: this.bundleFile(config),
          environment: this.environmentOf(config),
          nodePath: this.nodePath,
          workerPath: WORKER_PATH,
          onLog: this.options.onLog && ((line) => this.options.onLog?.(config.logicalId, line)),
          clockOffsetMs: () => this.clockOffsetMs(),
        },
        this.options.maxConcurrency ?? 2,
      );
      this.pools.set(config.logicalId, pool);
    }
    return pool;
  }

  private recordSegment(
    config: FunctionConfig,
    invocation: {
      traceId: string;
      segmentId: string;
      parentId?: string;
      startTime: number;
      requestId: string;
      failed: boolean;
      outcome: unknown;
    },
  ): void {
    const errorType = invocation.failed ? (invocation.outcome as LambdaErrorPayload | undefined)?.errorType : undefined;
    this.options.xray?.record({
      trace_id: invocation.traceId,
      id: invocation.segmentId,
      ...(invocation.parentId ? { parent_id: invocation.parentId } : {}),
      name: config.logicalId,
      origin: 'AWS::Lambda::Function',
      start_time: invocation.startTime,
      end_time: Date.now() / 1000,
      aws: { request_id: invocation.requestId, function_arn: this.functionArn(config.logicalId) },
      ...(invocation.failed
        ? {
            fault: errorType === 'Sandbox.Timedout' || errorType?.startsWith('Runtime.') === true,
            error: true,
            cause: {
              exceptions: [{ type: errorType, message: (invocation.outcome as LambdaErrorPayload).errorMessage }],
            },
          }
        : {}),
    });
  }
}
