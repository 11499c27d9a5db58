/**
 * `npm run bench -- cold-start`: every function's bundle size and module-init time with the template's esbuild
 * settings, side by side with the same code built with sam build's defaults (cjs, es2020, minified) plus the
 * source maps SAM users usually turn on (Sourcemap: true: an external .map, and NODE_OPTIONS=--enable-source-maps,
 * which SAM sets on the function when Sourcemap is true). Module init is measured in fresh Node processes
 * (median of BENCH_RUNS, default 21); both variants are sampled alternately so machine load hits both alike.
 * Goal: the template's bundles initialise in at most 0.5x the baseline's time.
 *
 * Each process also invokes the handler once (empty event) and the CPU of init plus that first invocation is
 * reported beside init's: work deferred from init to first use (e.g. the tracer, loaded by its middleware) is
 * moved, not saved, and that column shows it.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serverlessFunction } from '../local/template/functions';
import { loadTemplate, PROJECT_ROOT, type Template } from '../local/template/load';
import { buildFunction, type BuiltFunction } from '../scripts/lib/build-functions';
import { esbuildFunctions, type EsbuildFunction } from '../scripts/lib/esbuild-options';
import { measureOnce, median, writeHarness, type InitSample } from '../scripts/lib/measure-module-init';
import { positiveIntegerFromEnvironment } from './environment';
import { ratioOf, type Headline } from './headline';

const GOAL = 0.5;
const DEFAULT_RUNS = 21;

export interface ColdStartRow {
  logicalId: string;
  templateBytes: number;
  baselineBytes: number;
  /** Medians of wall-clock module init, and of the process's CPU time over the same span. */
  templateInitMs: number;
  baselineInitMs: number;
  templateCpuMs: number;
  baselineCpuMs: number;
  /** Medians of the CPU time of init plus the first invocation (empty event). */
  templateFirstCpuMs: number;
  baselineFirstCpuMs: number;
}

interface Variant {
  built: BuiltFunction;
  env: NodeJS.ProcessEnv;
  samples: InitSample[];
}

/**
 * The function's environment as the template declares it, so module-level code (SDK clients, Powertools) does
 * the work it does in Lambda. Refs become logical ids (the offline runtime's table names) or parameter defaults.
 */
function functionEnvironment(fn: EsbuildFunction, template: Template): NodeJS.ProcessEnv {
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const ref = (value as { Ref?: unknown } | null)?.Ref;
    if (typeof ref === 'string') return String(template.Parameters?.[ref]?.Default ?? ref);
    return 'placeholder';
  };
  const { properties } = serverlessFunction(template, fn.logicalId)!;
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(properties.MemorySize ?? 128),
    AWS_EXECUTION_ENV: `AWS_Lambda_${String(properties.Runtime)}`,
    ...Object.fromEntries(Object.entries(fn.environmentVariables).map(([name, value]) => [name, resolve(value)])),
  };
}

/** All files of the function's package (the bundle, plus the source map the baseline ships). */
async function packageBytes(built: BuiltFunction): Promise<number> {
  const sizes = await Promise.all(built.files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}x`;
const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);

const cell = (template: number, baseline: number, format: (n: number) => string) =>
  `${format(template)} / ${format(baseline)} / ${ratio(template, baseline)}`;
const ms = (value: number) => value.toFixed(1);

function printTable(rows: ColdStartRow[]): void {
  const columns = [34, 30, 34, 34];
  const line = (cells: string[]) => cells.map((text, index) => text.padEnd(columns[index] ?? 0)).join('');
  console.log(
    line([
      'function',
      'size: template / sam / ratio',
      'init ms: template / sam / ratio',
      'init cpu ms: template / sam / ratio',
      '+1st invocation cpu ms: tpl / sam / ratio',
    ]),
  );
  for (const row of rows) {
    console.log(
      line([
        row.logicalId,
        cell(row.templateBytes, row.baselineBytes, kib),
        cell(row.templateInitMs, row.baselineInitMs, ms),
        cell(row.templateCpuMs, row.baselineCpuMs, ms),
        cell(row.templateFirstCpuMs, row.baselineFirstCpuMs, ms),
      ]),
    );
  }
  const overall = (pick: (row: ColdStartRow) => number) => geometricMean(rows.map(pick));
  const size = overall((row) => row.templateBytes / row.baselineBytes);
  const init = overall((row) => row.templateInitMs / row.baselineInitMs);
  const cpu = overall((row) => row.templateCpuMs / row.baselineCpuMs);
  const first = overall((row) => row.templateFirstCpuMs / row.baselineFirstCpuMs);
  console.log(
    line([
      'all (geometric mean)',
      `${size.toFixed(2)}x`,
      `${init.toFixed(2)}x`,
      `${cpu.toFixed(2)}x`,
      `${first.toFixed(2)}x`,
    ]),
  );
  console.log(
    `goal: init <= ${GOAL}x the sam-defaults build: ${init <= GOAL ? 'met' : 'NOT met'} (wall clock), ` +
      `${cpu <= GOAL ? 'met' : 'NOT met'} (cpu)`,
  );
}

/**
 * Geometric means over the functions, ours and the baseline's: their quotient is the geometric mean of the
 * per-function ratios the table's last line prints, so the summary and the table agree.
 */
function headlines(rows: ColdStartRow[]): Headline[] {
  const headline = (
    measure: string,
    pickTemplate: (row: ColdStartRow) => number,
    pickBaseline: (row: ColdStartRow) => number,
    format: (n: number) => string,
  ): Headline => {
    const ours = geometricMean(rows.map(pickTemplate));
    const baseline = geometricMean(rows.map(pickBaseline));
    return {
      benchmark: 'cold-start',
      measure: `${measure} (geometric mean of ${rows.length} functions)`,
      ours: format(ours),
      peer: `sam build defaults + source maps: ${format(baseline)}`,
      ratio: ratioOf(ours, baseline, 'lower'),
    };
  };
  const milliseconds = (value: number) => `${value.toFixed(1)} ms`;
  return [
    headline(
      'package size',
      (row) => row.templateBytes,
      (row) => row.baselineBytes,
      kib,
    ),
    headline(
      'module init, wall clock',
      (row) => row.templateInitMs,
      (row) => row.baselineInitMs,
      milliseconds,
    ),
    headline(
      'module init, CPU',
      (row) => row.templateCpuMs,
      (row) => row.baselineCpuMs,
      milliseconds,
    ),
    headline(
      'init + 1st invocation, CPU',
      (row) => row.templateFirstCpuMs,
      (row) => row.baselineFirstCpuMs,
      milliseconds,
    ),
  ];
}

export default async function run(): Promise<Headline[]> {
  const runs = positiveIntegerFromEnvironment('BENCH_RUNS', DEFAULT_RUNS);
  const template = loadTemplate();
  const functions = esbuildFunctions(template, PROJECT_ROOT);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-cold-start-'));
  try {
    const harness = await writeHarness(scratch);
    const pairs = await Promise.all(
      functions.map(async (fn) => {
        const env = functionEnvironment(fn, template);
        const baselineProperties = { EntryPoints: fn.buildProperties.EntryPoints, Sourcemap: true };
        const [mine, baseline] = await Promise.all([
          buildFunction(fn, path.join(scratch, 'template'), fn.buildProperties),
          buildFunction(fn, path.join(scratch, 'sam-defaults'), baselineProperties),
        ]);
        const variants: [Variant, Variant] = [
          { built: mine, env, samples: [] },
          { built: baseline, env: { ...env, NODE_OPTIONS: '--enable-source-maps' }, samples: [] },
        ];
        return { fn, variants };
      }),
    );
    console.log(
      `cold start: template esbuild settings vs sam build defaults (cjs, es2020, minified) with source maps ` +
        `(--enable-source-maps); module init = median of ${runs} fresh Node ${process.version} processes; ` +
        `+1st invocation = init plus the handler's first run on an empty event`,
    );
    // Sequential on purpose: concurrent processes would measure each other.
    for (let i = 0; i < runs; i++) {
      for (const { variants } of pairs) {
        for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
          variant.samples.push(await measureOnce(harness, variant.built.bundle, variant.env));
        }
      }
    }
    const rows: ColdStartRow[] = [];
    for (const { fn, variants } of pairs) {
      const [mine, baseline] = variants;
      rows.push({
        logicalId: fn.logicalId,
        templateBytes: await packageBytes(mine.built),
        baselineBytes: await packageBytes(baseline.built),
        templateInitMs: median(mine.samples.map((sample) => sample.ms)),
        baselineInitMs: median(baseline.samples.map((sample) => sample.ms)),
        templateCpuMs: median(mine.samples.map((sample) => sample.cpuMs)),
        baselineCpuMs: median(baseline.samples.map((sample) => sample.cpuMs)),
        templateFirstCpuMs: median(mine.samples.map((sample) => sample.cpuMs + sample.firstInvocationCpuMs)),
        baselineFirstCpuMs: median(baseline.samples.map((sample) => sample.cpuMs + sample.firstInvocationCpuMs)),
      });
    }
    printTable(rows);
    return headlines(rows);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
