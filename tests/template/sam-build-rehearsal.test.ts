/**
 * A rehearsal of `sam build` for template.yaml, without SAM: the steps of aws-lambda-builders' nodejs_npm_esbuild
 * workflow run for real on a copy of the project, on a host where no esbuild is installed, so that a template or
 * package.json change that `sam build` would fail on (or build into an artifact Lambda cannot load) fails here, and
 * so does one that makes `sam build` deploy anything but the bytes `npm run build`, `npm start` and
 * `npm run bench -- cold-start` build and measure (they use esbuild's JS API through scripts/lib/esbuild-options.ts).
 * The command line and the esbuild lookup are scripts/lib/sam-build-rehearsal.ts's (sources cited there).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { nodeBinary } from '../../local/node-binary';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { buildFunction } from '../../scripts/lib/build-functions';
import { BuildPropertiesError, esbuildFunctions, type EsbuildFunction } from '../../scripts/lib/esbuild-options';
import { builderOptions, esbuildArgs, findEsbuild, runEsbuild, which } from '../../scripts/lib/sam-build-rehearsal';

const run = promisify(execFile);
const MAX_BUFFER = 16 * 1024 * 1024;

/**
 * The environment of a shell with no esbuild installed, from which `sam build` is run: PATH keeps no folder that
 * holds an esbuild (this checkout's node_modules/.bin, which npx puts first, included), and the npm_* variables
 * npm gives the scripts it runs are dropped (npm_config_local_prefix names this checkout, and the scratch
 * folder's npm would read it as its own configuration).
 */
function hostWithoutEsbuild(): NodeJS.ProcessEnv {
  const folders = (process.env.PATH ?? '').split(path.delimiter);
  const withoutEsbuild = folders.filter((folder) => which('esbuild', [], folder).length === 0);
  const notNpmScript = Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name));
  return { ...Object.fromEntries(notNpmScript), PATH: withoutEsbuild.join(path.delimiter) };
}

const HOST_ENV = hostWithoutEsbuild();

/** CopySourceAction's excludes (nodejs_npm_esbuild/workflow.py EXCLUDED_FILES), matched at any depth. */
const SAM_EXCLUDES = new Set(['.aws-sam', '.git', 'node_modules']);

/**
 * CopySourceAction for `CodeUri: ./`, limited to the files git tracks, as they are in the working tree (uncommitted
 * edits included). SAM copies everything on disk; untracked files of a working checkout are no one's build input.
 */
async function copyTrackedFiles(scratchDir: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, maxBuffer: MAX_BUFFER });
  const files = stdout.split('\0').filter((file) => file && !file.split('/').some((part) => SAM_EXCLUDES.has(part)));
  await Promise.all(
    files.map(async (file) => {
      const target = path.join(scratchDir, file);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(PROJECT_ROOT, file), target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // deleted in the working tree: not on disk, so SAM has none
      });
    }),
  );
}

/**
 * NodejsNpmInstallAction's command (nodejs_npm/actions.py; `npm ci` only with BuildProperties UseNpmCi, which no
 * function sets: checked below), plus --prefer-offline. Without it npm revalidates every package's cached registry
 * metadata (a request per package, 122 for this tree, though package-lock.json pins the versions); with it npm
 * takes what its cache holds and asks the registry only for what is missing: the same tree, without a run of the
 * test waiting on the registry or failing without one.
 */
const SAM_NPM_INSTALL = ['install', '-q', '--no-audit', '--no-save', '--unsafe-perm', '--omit=dev'];

async function npmInstall(scratchDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await run('npm', [...SAM_NPM_INSTALL, '--prefer-offline'], { cwd: scratchDir, env, maxBuffer: MAX_BUFFER });
}

/**
 * Loads a function's artifacts as Lambda's Node.js runtime does (aws-lambda-nodejs-runtime-interface-client 4.x,
 * the nodejs24.x runtime's: src/function/module-loader.ts and handler-resolver.ts at
 * 90b5b5bce1fd429f02d37e97acef436c1a331c81): the Handler's file part, under the artifacts root, tried as is and
 * then with .js, .mjs and .cjs, the first that exists loaded with import(); then the export the Handler's
 * function part names, else the same path under the module's default export. It prints the file it loaded and
 * the type of the handler, after a marker since module init may log too, and exits: the clients and tracer that
 * init creates could keep it alive.
 */
const RESULT_MARKER = '@@lambda-loader@@';
const LAMBDA_LOADER = `'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const [appRoot, handlerString] = process.argv.slice(2);
const base = path.basename(handlerString);
const moduleRoot = handlerString.slice(0, handlerString.length - base.length);
const [moduleName, ...functionPath] = base.split('.');
const stem = path.resolve(appRoot, moduleRoot, moduleName);
const file = ['', '.js', '.mjs', '.cjs'].map((ext) => stem + ext).find((candidate) => existsSync(candidate));
const findIn = (module) =>
  functionPath.reduce((nested, key) => (nested && typeof nested === 'object' ? nested[key] : undefined), module);
const report = (result) =>
  process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify(result) + '\\n', () => process.exit(0));
if (!file) report({ file: null, handler: 'undefined' });
else import(pathToFileURL(file).href).then((module) => {
  const handler = findIn(module) ?? (module && 'default' in module ? findIn(module.default) : undefined);
  report({ file: path.basename(file), handler: typeof handler });
});
`;

interface LoadedHandler {
  file: string | null;
  handler: string;
}

/** In a child process on Node 24 (nodejs24.x's), so the module's init runs outside jest. */
async function loadAsLambda(loader: string, artifactsDir: string, fn: EsbuildFunction): Promise<LoadedHandler> {
  const { stdout } = await run(nodeBinary(), [loader, artifactsDir, fn.handler], {
    cwd: artifactsDir,
    // A few of the variables Lambda sets; the functions read their own (table names...) only when invoked.
    env: { AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: fn.logicalId, LAMBDA_TASK_ROOT: artifactsDir },
    maxBuffer: MAX_BUFFER,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf(RESULT_MARKER) + RESULT_MARKER.length)) as LoadedHandler;
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** Two esbuild runs (or handler loads) at a time: jest's other worker shares the machine's two cores. */
const CONCURRENT_BUILDS = 2;

/** `task` for every item, at most `limit` at a time. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describe("sam build's esbuild command line (EsbuildCommandBuilder), composed from BuildProperties", () => {
  // The real project as the scratch folder: entry points are checked on disk, as aws-lambda-builders checks them.
  const scratch = PROJECT_ROOT;
  const entry = 'functions/reserve-room/app.ts';
  const args = (props: Record<string, unknown>, handler = 'app.handler') =>
    esbuildArgs(builderOptions(props, handler), scratch, '/artifacts');

  test('keys go from PascalCase to snake_case as SAM CLI normalizes them, then to kebab-case flags', () => {
    const props = { EntryPoints: [entry], MainFields: 'module,main', UseNpmCi: true };
    expect(builderOptions(props, 'app.handler')).toEqual({
      entry_points: [entry],
      main_fields: 'module,main',
      use_npm_ci: true,
    });
    expect(args({ EntryPoints: [entry], MainFields: 'module,main' })).toContain('--main-fields=module,main');
  });

  test("absent Target, Format and Minify get SAM's defaults, after the entry points and the fixed flags", () => {
    expect(args({ EntryPoints: [entry] })).toEqual([
      entry,
      '--bundle',
      '--platform=node',
      '--outdir=/artifacts',
      '--target=es2020',
      '--format=cjs',
      '--minify',
    ]);
  });

  test('given values replace the defaults; false drops the flag; true is a bare flag; text is --key=value', () => {
    expect(args({ EntryPoints: [entry], Target: 'es2023', Format: 'esm', Minify: false, Sourcemap: true })).toEqual([
      entry,
      '--bundle',
      '--platform=node',
      '--outdir=/artifacts',
      '--target=es2023',
      '--format=esm',
      '--sourcemap',
    ]);
  });

  test('lists become one --key:item flag per item, in order', () => {
    const flags = args({
      EntryPoints: [entry],
      External: ['@aws-sdk/*', 'pg-native'],
      OutExtension: ['.js=.mjs'],
      Banner: ["js=import { createRequire } from 'node:module';"],
    });
    expect(flags.slice(-4)).toEqual([
      '--external:@aws-sdk/*',
      '--external:pg-native',
      '--out-extension:.js=.mjs',
      "--banner:js=import { createRequire } from 'node:module';",
    ]);
  });

  test('what aws-lambda-builders fixes or keeps for npm is not passed on: Bundle, Platform, Outdir, UseNpmCi', () => {
    const fixed = { Platform: 'browser', Outdir: '/elsewhere', Bundle: false, UseNpmCi: true };
    const flags = args({ EntryPoints: [entry], ...fixed });
    expect(flags.slice(1, 4)).toEqual(['--bundle', '--platform=node', '--outdir=/artifacts']);
    expect(flags.join(' ')).not.toMatch(/browser|elsewhere|npm-ci/);
  });

  test("without EntryPoints (or with an empty list) the Handler's file part is the entry, .ts tried before .js", () => {
    const handler = 'functions/reserve-room/app.handler';
    expect(args({}, handler)[0]).toBe('functions/reserve-room/app.ts');
    expect(args({ EntryPoints: [] }, handler)[0]).toBe('functions/reserve-room/app.ts');
  });

  test("what SAM refuses is refused with SAM's exception and message", () => {
    expect(errorOf(() => args({ EntryPoints: ['functions/none/app.ts'] }))).toMatchObject({
      name: 'ActionFailedError',
      message: `entry point ${path.join(scratch, 'functions/none/app.ts')} does not exist`,
    });
    expect(errorOf(() => args({ EntryPoints: [entry], Target: 2023 }))).toMatchObject({
      name: 'EsbuildCommandError',
      message: 'Failed to determine the type of the configuration: 2023',
    });
    expect(errorOf(() => args({ EntryPoints: entry }))).toMatchObject({
      name: 'EsbuildCommandError',
      message: 'entry_points must be a list',
    });
  });

  test('dependencies in a layer (External ./node_modules/*) are not rehearsed', () => {
    expect(() => args({ EntryPoints: [entry], External: ['./node_modules/*'] })).toThrow(BuildPropertiesError);
  });
});

describe('sam build rehearsal: template.yaml on a host without esbuild', () => {
  const env = HOST_ENV;
  const functions = esbuildFunctions(loadTemplate(), PROJECT_ROOT);
  let root: string;
  let scratch: string;

  // One install serves every function: SAM installs once per function, in a scratch copy of its CodeUri, but all
  // of them have the same CodeUri and the same install command (checked by the first test), so the copies would
  // be identical.
  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'sam-build-rehearsal-')));
    scratch = path.join(root, 'scratch');
    await copyTrackedFiles(scratch);
    await npmInstall(scratch, env);
  }, 120_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('every function is built by esbuild from CodeUri ./ with the same npm install (no UseNpmCi)', () => {
    expect(functions.length).toBeGreaterThan(0);
    const installs = functions.map((fn) => {
      const useNpmCi = builderOptions(fn.buildProperties, fn.handler).use_npm_ci ?? false;
      return [fn.logicalId, fn.codeDir, useNpmCi];
    });
    expect(installs).toEqual(functions.map((fn) => [fn.logicalId, PROJECT_ROOT, false]));
  });

  test("PATH has no esbuild, yet sam build finds one: the scratch folder's, installed as a dependency", async () => {
    const scratchEsbuild = path.join(scratch, 'node_modules', '.bin', 'esbuild');
    expect(which('esbuild', [], env.PATH)).toEqual([]);
    expect(await findEsbuild(scratch, env)).toBe(scratchEsbuild);
    // ...and it is preferred to one on PATH, such as this checkout's.
    const projectBin = path.join(PROJECT_ROOT, 'node_modules', '.bin');
    const withProjectEsbuild = { ...env, PATH: `${projectBin}${path.delimiter}${env.PATH}` };
    expect(await findEsbuild(scratch, withProjectEsbuild)).toBe(scratchEsbuild);
  });

  test("every function's esbuild command builds artifacts whose Handler Lambda loads as a function", async () => {
    const esbuild = await findEsbuild(scratch, env);
    const loader = path.join(root, 'lambda-loader.cjs');
    await writeFile(loader, LAMBDA_LOADER);
    const loaded = await mapLimited(functions, CONCURRENT_BUILDS, async (fn) => {
      const artifactsDir = path.join(root, 'artifacts', fn.logicalId);
      const args = esbuildArgs(builderOptions(fn.buildProperties, fn.handler), scratch, artifactsDir);
      await runEsbuild(esbuild, args, scratch, env);
      return { id: fn.logicalId, ...(await loadAsLambda(loader, artifactsDir, fn)) };
    });
    const expected = functions.map((fn) => ({ id: fn.logicalId, file: 'app.js', handler: 'function' }));
    expect(loaded).toEqual(expected);
  }, 60_000);

  test('what sam build deploys is, byte for byte, what npm run build writes and the cold-start benchmark measures', async () => {
    // npm run build, npm start and the benchmark all build through buildFunction with the template's properties.
    const differences = await mapLimited(functions, CONCURRENT_BUILDS, async (fn) => {
      const samDir = path.join(root, 'artifacts', fn.logicalId);
      const built = await buildFunction(fn, path.join(root, 'npm-run-build'));
      const samFiles = (await readdir(samDir)).sort();
      const ourFiles = built.files.map((file) => path.relative(built.dir, file)).sort();
      const same =
        JSON.stringify(samFiles) === JSON.stringify(ourFiles) &&
        (
          await Promise.all(
            samFiles.map(async (file) =>
              (await readFile(path.join(samDir, file))).equals(await readFile(path.join(built.dir, file))),
            ),
          )
        ).every(Boolean);
      return same ? [] : [{ id: fn.logicalId, sam: samFiles, npm: ourFiles }];
    });
    expect(differences.flat()).toEqual([]);
  }, 60_000);
});

describe('sam build rehearsal: with esbuild back in devDependencies', () => {
  const env = HOST_ENV;
  let scratch: string;

  // Only the manifest and the lockfile: the install and the lookup are all that runs before the failure.
  beforeAll(async () => {
    scratch = await realpath(await mkdtemp(path.join(os.tmpdir(), 'sam-build-rehearsal-dev-')));
    const manifest = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    const { esbuild, ...dependencies } = manifest.dependencies;
    const devDependencies = { ...manifest.devDependencies, esbuild };
    await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ ...manifest, dependencies, devDependencies }));
    await copyFile(path.join(PROJECT_ROOT, 'package-lock.json'), path.join(scratch, 'package-lock.json'));
    await npmInstall(scratch, env);
  }, 120_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test('npm install --omit=dev leaves esbuild out, and sam build fails with "Cannot find esbuild"', async () => {
    expect(existsSync(path.join(scratch, 'node_modules', 'esbuild'))).toBe(false);
    await expect(findEsbuild(scratch, env)).rejects.toMatchObject({
      name: 'EsbuildExecutionError',
      message: expect.stringMatching(/^Cannot find esbuild\. esbuild must be installed on the host machine/),
    });
  });
});
