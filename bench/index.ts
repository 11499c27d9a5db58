/**
 * `npm run bench [-- <name>]`: runs bench/<name>.ts (its default export `run()`), or every benchmark in turn when
 * no name is given. Each benchmark prints its own ratios against its named peers.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const BENCHMARKS = ['cold-start', 'engine', 'local'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

interface BenchmarkModule {
  default: () => Promise<unknown>;
}

function isBenchmark(name: string): name is BenchmarkName {
  return (BENCHMARKS as readonly string[]).includes(name);
}

async function runBenchmark(name: BenchmarkName): Promise<void> {
  const file = path.join(__dirname, `${name}.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const benchmark = require(file) as BenchmarkModule;
  if (typeof benchmark.default !== 'function') throw new Error(`bench/${name}.ts has no default export run()`);
  await benchmark.default();
}

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length > 1 || (names.length === 1 && !isBenchmark(names[0]))) {
    console.error(`usage: npm run bench [-- <name>]   (names: ${BENCHMARKS.join(', ')})`);
    process.exitCode = 2;
    return;
  }
  if (names.length === 1) {
    await runBenchmark(names[0] as BenchmarkName);
    return;
  }
  for (const name of BENCHMARKS) {
    if (!existsSync(path.join(__dirname, `${name}.ts`))) {
      console.log(`== ${name}: skipped (bench/${name}.ts does not exist yet)`);
      continue;
    }
    console.log(`== ${name}`);
    await runBenchmark(name);
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
