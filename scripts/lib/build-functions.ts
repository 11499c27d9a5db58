import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import type { Template } from '../../local/template/load';
import { upToDateBuild, writeBuildRecord } from './build-record';
import { esbuildFunctions, esbuildOptions, type BuildProperties, type EsbuildFunction } from './esbuild-options';

export interface BuiltFunction {
  logicalId: string;
  /** The folder holding this function's bundle (what sam build would zip). */
  dir: string;
  /** The bundle Lambda loads for the Handler (e.g. `<dir>/app.js`), and its size. */
  bundle: string;
  bytes: number;
  /** Every file written (the bundle, plus its .map when Sourcemap is on). */
  files: string[];
}

/** Names every function that failed to build and why; the others were built. */
export class FunctionBuildError extends Error {
  constructor(readonly failures: Array<{ logicalId: string; error: Error }>) {
    super(failures.map(({ logicalId, error }) => `${logicalId}: ${error.message}`).join('\n'));
    this.name = 'FunctionBuildError';
  }
}

/**
 * One function into `<outRoot>/<LogicalId>/`, with its template BuildProperties or, for comparisons such as the
 * cold-start benchmark, other ones. The folder is emptied first so no stale file from an earlier build remains.
 */
export async function buildFunction(
  fn: EsbuildFunction,
  outRoot: string,
  buildProperties: BuildProperties = fn.buildProperties,
  { reuseUpToDate = false }: FunctionBuildOptions = {},
): Promise<BuiltFunction> {
  const dir = path.join(outRoot, fn.logicalId);
  const options = { ...esbuildOptions(buildProperties, fn.codeDir, dir), metafile: true as const };
  const reusable = reuseUpToDate ? upToDateBuild<BuiltFunction>(dir, options) : undefined;
  if (reusable) return reusable;

  await rm(dir, { recursive: true, force: true });
  const result = await build(options);
  const outputs = Object.entries(result.metafile.outputs).map(([file, output]) => ({
    file: path.resolve(file),
    output,
  }));
  const entry = outputs.find(({ output }) => output.entryPoint !== undefined);
  if (!entry) throw new Error(`esbuild wrote no bundle for ${fn.logicalId}`);
  const built: BuiltFunction = {
    logicalId: fn.logicalId,
    dir,
    bundle: entry.file,
    bytes: entry.output.bytes,
    files: outputs.map(({ file }) => file),
  };
  if (reuseUpToDate) {
    const inputs = Object.keys(result.metafile.inputs).map((file) =>
      path.resolve(options.absWorkingDir ?? process.cwd(), file),
    );
    writeBuildRecord(dir, options, inputs, built);
  }
  return built;
}

export interface FunctionBuildOptions {
  /**
   * Keep a bundle whose recorded inputs and options have not changed since it was built, and record them for the
   * next build (npm start). Without it every function is built afresh and nothing is recorded (npm run build).
   */
  reuseUpToDate?: boolean;
}

/** Every esbuild function of the template, all at once (esbuild runs them in parallel on its own threads). */
export async function buildFunctions(
  template: Template,
  baseDir: string,
  outRoot: string,
  options: FunctionBuildOptions = {},
): Promise<BuiltFunction[]> {
  const functions = esbuildFunctions(template, baseDir);
  const results = await Promise.allSettled(
    functions.map((fn) => buildFunction(fn, outRoot, fn.buildProperties, options)),
  );
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected' ? [{ logicalId: functions[index].logicalId, error: result.reason as Error }] : [],
  );
  if (failures.length > 0) throw new FunctionBuildError(failures);
  return results.map((result) => (result as PromiseFulfilledResult<BuiltFunction>).value);
}
