/**
 * `npm run bench [-- <name>]`: runs bench/<name>.ts (its default export `run()`), or every benchmark in turn when
 * no name is given. Each benchmark prints its own details and ratios against its named peers and returns its
 * headline figures; the run ends with those side by side in one table, with the machine they were measured on.
 * A benchmark that fails is reported in the table (and the exit code), and the others still run.
 */
import { formatSummary, machineDescription, type Headline } from './headline';

const BENCHMARKS = ['cold-start', 'engine', 'local', 'reservations', 'scale'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

interface BenchmarkModule {
  default: () => Promise<Headline[]>;
}

/** Each benchmark's module, loaded only when it runs (each brings its own peers and local services). */
const MODULES: Record<BenchmarkName, () => Promise<BenchmarkModule>> = {
  'cold-start': () => import('./cold-start'),
  engine: () => import('./engine'),
  local: () => import('./local'),
  reservations: () => import('./reservations'),
  scale: () => import('./scale'),
};

function isBenchmark(name: string): name is BenchmarkName {
  return (BENCHMARKS as readonly string[]).includes(name);
}

async function runBenchmark(name: BenchmarkName): Promise<Headline[]> {
  const benchmark = await MODULES[name]();
  return benchmark.default();
}

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length > 1 || (names.length === 1 && !isBenchmark(names[0]))) {
    console.error(`usage: npm run bench [-- <name>]   (names: ${BENCHMARKS.join(', ')})`);
    process.exitCode = 2;
    return;
  }
  const selected = names.length === 1 ? [names[0] as BenchmarkName] : [...BENCHMARKS];
  const machineAtStart = machineDescription();
  console.log(`machine: ${machineAtStart}`);
  const started = performance.now();
  const headlines: Headline[] = [];
  for (const name of selected) {
    console.log(`\n== ${name}`);
    try {
      headlines.push(...(await runBenchmark(name)));
    } catch (error) {
      console.error(`bench ${name} failed: ${(error as Error).stack ?? String(error)}`);
      headlines.push({
        benchmark: name,
        measure: 'FAILED',
        ours: ((error as Error).message ?? String(error)).split('\n')[0],
        peer: '',
        ratio: '',
      });
      process.exitCode = 1;
    }
  }
  console.log(`\n== summary (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  console.log(formatSummary(headlines));
  console.log(`machine at the start: ${machineAtStart}`);
  console.log(`machine at the end:   ${machineDescription()}`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
