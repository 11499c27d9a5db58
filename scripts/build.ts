/**
 * `npm run build`: one bundle per function into dist/functions/<FunctionLogicalId>/, built with exactly the
 * esbuild settings of template.yaml (the ones sam build uses), and the web pages into dist/web/ (web/build.ts).
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../local/template/load';
import { FunctionBuildError } from './lib/build-functions';
import { buildProject, WEB_OUT } from './lib/build-project';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const started = performance.now();
  const { functions } = await buildProject();
  for (const fn of functions) {
    console.log(`${fn.logicalId.padEnd(34)} ${kib(fn.bytes).padStart(10)}  ${path.relative(PROJECT_ROOT, fn.bundle)}`);
  }
  console.log(`web pages -> ${path.relative(PROJECT_ROOT, WEB_OUT)}/`);
  console.log(`built ${functions.length} functions in ${Math.round(performance.now() - started)} ms`);
}

main().catch((error: unknown) => {
  console.error(
    `build failed: ${error instanceof FunctionBuildError ? `\n${error.message}` : ((error as Error).stack ?? String(error))}`,
  );
  process.exitCode = 1;
});
