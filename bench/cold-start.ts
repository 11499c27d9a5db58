/**
 * `npm run bench -- cold-start`: every function's bundle size and module-init time with the template's esbuild
 * settings, side by side with two peers built in the same run:
 * - the floor: bench/floor-handler.ts, a handler holding only the DynamoDB document client, built the fastest known
 *   way (cjs, minified, MainFields module,main). Goal: the median function initialises within 1.3x of it.
 * - the floor again with the template's External (the credential chain's fallbacks, which the runtime provides):
 *   not the floor, but the same trick applied to it, printed beside so the ratio to the floor is not read as
 *   more than it is (the trick alone is worth ~13 ms of CPU).
 * - the same code built with sam build's defaults (cjs, es2020, minified: what a template without BuildProperties
 *   gets).
 * Module init is measured in fresh Node processes (median of BENCH_RUNS, default 21), every variant with the same
 * Node flags and the same environment apart from the function's own variables (NODE_PATH included: the runtime's
 * node_modules, where a bundle finds what it leaves External), sampled alternately so machine load hits all alike.
 *
 * Each process also invokes the handler once (empty event) and the CPU of init plus that first invocation is
 * reported beside init's: work deferred from init to first use (a client or library loaded lazily) is moved, not
 * saved, and that column shows it.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runtimeNodePath } from '../local/runtime-node-path';
import { serverlessFunction } from '../local/template/functions';
import { loadTemplate, PROJECT_ROOT, type Template } from '../local/template/load';
import { buildFunction, type BuiltFunction } from '../scripts/lib/build-functions';
import { esbuildFunctions, type EsbuildFunction } from '../scripts/lib/esbuild-options';
import { measureOnce, median, writeHarness, type InitSample } from '../scripts/lib/measure-module-init';
import { positiveIntegerFromEnvironment } from './environment';
import { ratioOf, type Headline } from './headline';

/** The median function's init may take at most this many times the floor's (issue 17). */
const FLOOR_GOAL = 1.3;
const DEFAULT_RUNS = 21;

/** Medians over one variant's processes. */
interface VariantFigures {
  bytes: number;
  /** Wall-clock module init, and the process's CPU time over the same span. */
  initMs: number;
  cpuMs: number;
  /** CPU time of init plus the first invocation (empty event). */
  firstCpuMs: number;
}

export interface ColdStartRow {
  logicalId: string;
  template: VariantFigures;
  samDefaults: VariantFigures;
}

interface Variant {
  built: BuiltFunction;
  env: NodeJS.ProcessEnv;
  samples: InitSample[];
}

/** Every variant's process gets this, so none is measured with other Node flags or another module path. */
const COMMON_ENVIRONMENT = {
  PATH: process.env.PATH,
  NODE_PATH: runtimeNodePath(),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

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
    ...COMMON_ENVIRONMENT,
    _HANDLER: fn.handler,
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(properties.MemorySize ?? 128),
    AWS_EXECUTION_ENV: `AWS_Lambda_${String(properties.Runtime)}`,
    ...Object.fromEntries(Object.entries(fn.environmentVariables).map(([name, value]) => [name, resolve(value)])),
  };
}

/**
 * The floor handler as an esbuild function of its own: bench/floor-handler.ts, with the template's Target (the
 * runtime's language level) and otherwise the fastest build known: CommonJS, minified, the SDK's ES modules.
 */
function floorFunction(templateFunction: EsbuildFunction, withTemplateExternal = false): EsbuildFunction {
  const external = templateFunction.buildProperties.External;
  return {
    logicalId: withTemplateExternal ? 'FloorHandlerWithExternal' : 'FloorHandler',
    codeDir: PROJECT_ROOT,
    handler: 'floor-handler.handler',
    buildProperties: {
      EntryPoints: ['bench/floor-handler.ts'],
      Format: 'cjs',
      Minify: true,
      MainFields: 'module,main',
      Target: templateFunction.buildProperties.Target ?? 'es2020',
      ...(withTemplateExternal && external !== undefined && { External: external }),
    },
    environmentVariables: {},
  };
}

/** All files of the function's package. */
async function packageBytes(built: BuiltFunction): Promise<number> {
  const sizes = await Promise.all(built.files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

async function figures(variant: Variant): Promise<VariantFigures> {
  return {
    bytes: await packageBytes(variant.built),
    initMs: median(variant.samples.map((sample) => sample.ms)),
    cpuMs: median(variant.samples.map((sample) => sample.cpuMs)),
    firstCpuMs: median(variant.samples.map((sample) => sample.cpuMs + sample.firstInvocationCpuMs)),
  };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ms = (value: number) => value.toFixed(1);
const milliseconds = (value: number) => `${value.toFixed(1)} ms`;
const times = (value: number) => `${value.toFixed(2)}x`;
const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);

/** The measures the table and the headlines report, each read from a variant's figures. */
const MEASURES = [
  { name: 'module init, wall clock', pick: (f: VariantFigures) => f.initMs },
  { name: 'module init, CPU', pick: (f: VariantFigures) => f.cpuMs },
  { name: 'init + 1st invocation, CPU', pick: (f: VariantFigures) => f.firstCpuMs },
] as const;

function printTable(rows: ColdStartRow[], floor: VariantFigures, floorWithExternal: VariantFigures): void {
  const columns = [36, 22, 26, 26, 26];
  const line = (cells: string[]) => cells.map((text, index) => text.padEnd(columns[index] ?? 0)).join('');
  const cell = (ours: number, floorValue: number, sam: number, format: (n: number) => string) =>
    `${format(ours)} ${times(ours / floorValue)} ${times(ours / sam)}`;
  console.log(
    line(['function (ratios: to floor, to sam)', 'size KiB', 'init ms', 'init cpu ms', '+1st invocation cpu ms']),
  );
  for (const [name, figures] of [
    ['FloorHandler', floor],
    ['FloorHandler + template External', floorWithExternal],
  ] as const) {
    console.log(line([name, kib(figures.bytes), ms(figures.initMs), ms(figures.cpuMs), ms(figures.firstCpuMs)]));
  }
  for (const { logicalId, template, samDefaults } of rows) {
    console.log(
      line([
        logicalId,
        cell(template.bytes, floor.bytes, samDefaults.bytes, (n) => (n / 1024).toFixed(0)),
        ...MEASURES.map(({ pick }) => cell(pick(template), pick(floor), pick(samDefaults), ms)),
      ]),
    );
  }
  const medianOf = (pick: (f: VariantFigures) => number) => median(rows.map((row) => pick(row.template)));
  console.log(
    line([
      'median function / floor',
      times(medianOf((f) => f.bytes) / floor.bytes),
      ...MEASURES.map(({ pick }) => times(medianOf(pick) / pick(floor))),
    ]),
  );
  console.log(
    line([
      'median / floor + External',
      times(medianOf((f) => f.bytes) / floorWithExternal.bytes),
      ...MEASURES.map(({ pick }) => times(medianOf(pick) / pick(floorWithExternal))),
    ]),
  );
  console.log(
    line([
      'geometric mean / sam defaults',
      times(geometricMean(rows.map((row) => row.template.bytes / row.samDefaults.bytes))),
      ...MEASURES.map(({ pick }) =>
        times(geometricMean(rows.map((row) => pick(row.template) / pick(row.samDefaults)))),
      ),
    ]),
  );
  const [wall, cpu] = MEASURES.map(({ pick }) => medianOf(pick) / pick(floor));
  console.log(
    `goal: median function init <= ${FLOOR_GOAL}x the floor's: ${wall <= FLOOR_GOAL ? 'met' : 'NOT met'} ` +
      `(wall clock ${times(wall)}), ${cpu <= FLOOR_GOAL ? 'met' : 'NOT met'} (cpu ${times(cpu)})`,
  );
}

/**
 * Against the floor: the median of the functions' medians. Against sam build's defaults: geometric means over the
 * functions, ours and the baseline's, whose quotient is the geometric mean of the per-function ratios the table
 * prints, so the summary and the table agree.
 */
function headlines(rows: ColdStartRow[], floor: VariantFigures, floorWithExternal: VariantFigures): Headline[] {
  const count = `${rows.length} functions`;
  const toFloor = MEASURES.map(({ name, pick }): Headline => {
    const ours = median(rows.map((row) => pick(row.template)));
    return {
      benchmark: 'cold-start',
      measure: `${name} (median of ${count})`,
      ours: milliseconds(ours),
      peer: `floor (DynamoDB document client only): ${milliseconds(pick(floor))}`,
      ratio: ratioOf(ours, pick(floor), 'lower'),
    };
  });
  const initMedian = median(rows.map((row) => row.template.initMs));
  const toFloorWithExternal: Headline = {
    benchmark: 'cold-start',
    measure: `module init, wall clock (median of ${count})`,
    ours: milliseconds(initMedian),
    peer: `the floor built with the template's External too: ${milliseconds(floorWithExternal.initMs)}`,
    ratio: ratioOf(initMedian, floorWithExternal.initMs, 'lower'),
  };
  const toSamDefaults = [
    { name: 'package size', pick: (f: VariantFigures) => f.bytes, format: kib },
    ...MEASURES.map((m) => ({ ...m, format: milliseconds })),
  ].map(({ name, pick, format }): Headline => {
    const ours = geometricMean(rows.map((row) => pick(row.template)));
    const baseline = geometricMean(rows.map((row) => pick(row.samDefaults)));
    return {
      benchmark: 'cold-start',
      measure: `${name} (geometric mean of ${count})`,
      ours: format(ours),
      peer: `sam build defaults: ${format(baseline)}`,
      ratio: ratioOf(ours, baseline, 'lower'),
    };
  });
  return [...toFloor, toFloorWithExternal, ...toSamDefaults];
}

export default async function run(): Promise<Headline[]> {
  const runs = positiveIntegerFromEnvironment('BENCH_RUNS', DEFAULT_RUNS);
  const template = loadTemplate();
  const functions = esbuildFunctions(template, PROJECT_ROOT);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-cold-start-'));
  try {
    const harness = await writeHarness(scratch);
    const floors = await Promise.all(
      [floorFunction(functions[0]), floorFunction(functions[0], true)].map(
        async (floorFn): Promise<Variant> => ({
          built: await buildFunction(floorFn, path.join(scratch, 'floor')),
          env: { ...COMMON_ENVIRONMENT, _HANDLER: floorFn.handler, AWS_LAMBDA_FUNCTION_NAME: floorFn.logicalId },
          samples: [],
        }),
      ),
    );
    const sampleFloors = async () => {
      for (const floor of floors) floor.samples.push(await measureOnce(harness, floor.built.bundle, floor.env));
    };
    const pairs = await Promise.all(
      functions.map(async (fn) => {
        const env = functionEnvironment(fn, template);
        const [mine, samDefaults] = await Promise.all([
          buildFunction(fn, path.join(scratch, 'template'), fn.buildProperties),
          buildFunction(fn, path.join(scratch, 'sam-defaults'), { EntryPoints: fn.buildProperties.EntryPoints }),
        ]);
        const variants: [Variant, Variant] = [
          { built: mine, env, samples: [] },
          { built: samDefaults, env, samples: [] },
        ];
        return { fn, variants };
      }),
    );
    console.log(
      `cold start: template esbuild settings vs the floor (bench/floor-handler.ts: cjs, minified, module,main) and ` +
        `sam build's defaults (cjs, es2020, minified), the same Node flags and NODE_PATH for all; module init = ` +
        `median of ${runs} fresh Node ${process.version} processes; +1st invocation = init plus the handler's ` +
        `first run on an empty event`,
    );
    // Sequential on purpose: concurrent processes would measure each other. The floors are sampled once a round, at a
    // place that moves from round to round, so it sees the machine as the functions do.
    for (let i = 0; i < runs; i++) {
      const floorAt = i % (pairs.length + 1);
      for (const [index, { variants }] of pairs.entries()) {
        if (index === floorAt) await sampleFloors();
        for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
          variant.samples.push(await measureOnce(harness, variant.built.bundle, variant.env));
        }
      }
      if (floorAt === pairs.length) await sampleFloors();
    }
    const [floorFigures, floorWithExternalFigures] = await Promise.all(floors.map(figures));
    const rows: ColdStartRow[] = [];
    for (const { fn, variants } of pairs) {
      rows.push({
        logicalId: fn.logicalId,
        template: await figures(variants[0]),
        samDefaults: await figures(variants[1]),
      });
    }
    printTable(rows, floorFigures, floorWithExternalFigures);
    return headlines(rows, floorFigures, floorWithExternalFigures);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
