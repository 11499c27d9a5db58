import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Module initialisation of a Lambda bundle, measured like a cold start: every sample is a fresh Node process that
 * loads the bundle the way Lambda's Node.js runtime does (import() for .mjs, require() for CommonJS .js) and
 * reports how long loading took, from the first line of the harness to the module being ready with its handler:
 * wall-clock time (what Lambda's Init Duration counts) and the CPU time of the process (all its threads), which a
 * busy shared machine distorts much less than wall-clock time.
 */
const HARNESS = `'use strict';
const { pathToFileURL } = require('node:url');
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const file = process.argv[2];
const loaded = file.endsWith('.mjs') ? import(pathToFileURL(file).href) : Promise.resolve().then(() => require(file));
loaded.then((mod) => {
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  if (typeof mod.handler !== 'function') throw new Error(file + ' exports no handler function');
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
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
  ms: number;
  cpuMs: number;
}

/** One cold module load of `bundle` in a new process of this Node binary. */
export async function measureOnce(harness: string, bundle: string, env: NodeJS.ProcessEnv): Promise<InitSample> {
  try {
    const { stdout } = await run(process.execPath, [harness, bundle], { env, timeout: 60_000 });
    return JSON.parse(stdout) as InitSample;
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
