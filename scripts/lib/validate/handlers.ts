import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Template } from '../../../local/template/load';
import { BuildPropertiesError, esbuildFunctions, esbuildOptions, type EsbuildFunction } from '../esbuild-options';
import { problem, type Problem } from '../problems';

/**
 * The names an ES module exports, as esbuild sees them (its metafile lists each output's exports). esbuild parses
 * TypeScript and every export form (`export const`, `export { a as handler }`, `export default`), which a regular
 * expression would not.
 */
async function exportsOf(file: string): Promise<string[]> {
  const result = await build({
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: path.dirname(file),
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).flatMap((output) => output.exports);
}

/**
 * Handler `app.handler` with EntryPoints `[functions/x/app.ts]`: sam build's esbuild writes `app.js` (one entry
 * point, so no folders) and Lambda loads its export `handler`. So the entry file must exist, its base name must
 * be the Handler's file part, and it must export the Handler's function name.
 */
async function checkFunction(fn: EsbuildFunction, baseDir: string): Promise<Problem[]> {
  const location = `Resources.${fn.logicalId}`;
  let entryPoints: string[];
  try {
    entryPoints = esbuildOptions(fn.buildProperties, fn.codeDir, 'out').entryPoints as string[];
  } catch (error) {
    if (error instanceof BuildPropertiesError)
      return [problem('BuildPropertiesInvalid', `${location}.Metadata.BuildProperties`, error.message)];
    throw error;
  }
  const dot = fn.handler.lastIndexOf('.');
  if (dot <= 0)
    return [
      problem('HandlerMismatch', `${location}.Properties.Handler`, `"${fn.handler}" must look like <file>.<export>`),
    ];
  const handlerFile = fn.handler.slice(0, dot);
  const handlerExport = fn.handler.slice(dot + 1);
  if (entryPoints.length !== 1) {
    return [
      problem(
        'BuildPropertiesInvalid',
        `${location}.Metadata.BuildProperties.EntryPoints`,
        'a function is built from exactly one entry point',
      ),
    ];
  }
  const entry = entryPoints[0];
  const shown = path.relative(baseDir, entry);
  if (!existsSync(entry)) return [problem('HandlerMissing', location, `entry point ${shown} does not exist`)];
  const problems: Problem[] = [];
  if (path.basename(entry, path.extname(entry)) !== handlerFile) {
    problems.push(
      problem(
        'HandlerMismatch',
        `${location}.Properties.Handler`,
        `"${fn.handler}" names file ${handlerFile}, but the bundle is built from ${shown}`,
      ),
    );
  }
  let names: string[];
  try {
    names = await exportsOf(entry);
  } catch (error) {
    return [
      ...problems,
      problem('HandlerNotExported', location, `${shown} cannot be parsed: ${(error as Error).message.split('\n')[0]}`),
    ];
  }
  if (!names.includes(handlerExport)) {
    problems.push(
      problem(
        'HandlerNotExported',
        location,
        `${shown} does not export "${handlerExport}" (exports: ${names.join(', ') || 'none'})`,
      ),
    );
  }
  return problems;
}

export async function checkHandlers(template: Template, baseDir: string): Promise<Problem[]> {
  const results = await Promise.all(esbuildFunctions(template, baseDir).map((fn) => checkFunction(fn, baseDir)));
  return results.flat();
}
