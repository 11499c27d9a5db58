import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Marks the harness's result line: the handler's own logs share its standard output. */
const RESULT_MARKER = '@@module-init@@';

/**
 * Module initialisation of a Lambda bundle, measured like a cold start: every sample is a fresh Node process that
 * loads the bundle the way Lambda's Node.js runtime does (import() for .mjs, require() for CommonJS .js) and
 * reports how long loading took, from the first line of the harness to the module being ready with its handler:
 * wall-clock time (what Lambda's Init Duration counts) and the CPU time of the process (all its threads), which a
 * busy shared machine distorts much less than wall-clock time.
 *
 * It then invokes the handler once, with an empty event and a Lambda context, and reports that first invocation's
 * CPU time too: whatever a bundle defers from init to first use (a tracer loaded by its middleware, say) shows up
 * there, so moving work out of init cannot pass for removing it. The outcome is not judged (an empty event is
 * refused by most handlers after their middlewares ran); AWS calls must fail fast (see `measureOnce`).
 */
const HARNESS = `'use strict';
const { pathToFileURL } = require('node:url');
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const file = process.argv[2];
const cpuMsSince = (from) => { const cpu = process.cpuUsage(from); return (cpu.user + cpu.system) / 1000; };
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/bench', logStreamName: 'bench', getRemainingTimeInMillis: () => 60000,
  done() {}, fail() {}, succeed() {},
};
const loaded = file.endsWith('.mjs') ? import(pathToFileURL(file).href) : Promise.resolve().then(() => require(file));
loaded.then(async (mod) => {
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = cpuMsSince(cpuStart);
  if (typeof mod.handler !== 'function') throw new Error(file + ' exports no handler function');
  const invokeCpuStart = process.cpuUsage();
  await Promise.resolve().then(() => mod.handler({}, context)).catch(() => undefined);
  const firstInvocationCpuMs = cpuMsSince(invokeCpuStart);
  process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify({ ms, cpuMs, firstInvocationCpuMs }) + '\\n', () => process.exit(0));
}).catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
`;

/** Writes the harness into `dir` (a scratch folder) and returns its path. */
export async function writeHarness(dir: string): Promise<string> {
  const file = path.join(dir, 'measure-module-init.cjs');
  await writeFile(file, HARNESS);
  return file;
}

export interface InitSample {
  /** Module init, wall clock and CPU. */
  ms: number;
  cpuMs: number;
  /** CPU time of the first invocation (empty event) after init. */
  firstInvocationCpuMs: number;
}

/**
 * Lambda's per-invocation trace header (a sampled request), so a tracer finds its segment as in Lambda, and AWS
 * endpoints on a closed local port with a single attempt, so a handler that calls AWS fails at once, offline.
 */
const INVOCATION_ENVIRONMENT = {
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
  AWS_MAX_ATTEMPTS: '1',
};

/** One cold module load of `bundle`, and its first invocation, in a new process of this Node binary. */
export async function measureOnce(harness: string, bundle: string, env: NodeJS.ProcessEnv): Promise<InitSample> {
  try {
    const { stdout } = await run(process.execPath, [harness, bundle], {
      env: { ...INVOCATION_ENVIRONMENT, LAMBDA_TASK_ROOT: path.dirname(bundle), ...env },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
    if (!line) throw new Error(`the harness printed no result: ${stdout.slice(-500)}`);
    return JSON.parse(line.slice(RESULT_MARKER.length)) as InitSample;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`loading ${bundle} failed: ${stderr || (error as Error).message}`);
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
