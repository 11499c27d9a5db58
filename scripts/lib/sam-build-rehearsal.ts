import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BuildPropertiesError, SAM_DEFAULTS, type BuildProperties } from './esbuild-options';

/**
 * The esbuild command line `sam build` runs for a function with `Metadata.BuildMethod: esbuild`, and the esbuild
 * executable it runs, composed and looked up the way SAM does it rather than through esbuild's JS API
 * (esbuild-options.ts does that for `npm run build`): what this proves is what SAM will do with template.yaml.
 *
 * Mirrored from, on POSIX hosts:
 * - aws/aws-lambda-builders at cd41bcf1c1a440ca5849f12b2d1acb264d8fa14e:
 *   aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py (EsbuildCommandBuilder, SubprocessEsbuild),
 *   aws_lambda_builders/workflows/nodejs_npm_esbuild/actions.py (EsbuildBundleAction: the order of the arguments),
 *   aws_lambda_builders/workflows/nodejs_npm_esbuild/workflow.py (_get_esbuild_subprocess: where esbuild is looked
 *   for) and aws_lambda_builders/utils.py (which);
 * - aws/aws-sam-cli at fe8f8dbb1160abce8ae13e0a4c5f8b456658afd3: samcli/lib/samlib/resource_metadata_normalizer.py
 *   (normalize_build_properties) and samcli/lib/build/app_builder.py (_get_build_options).
 * Not mirrored: the dependency-layer build (`External: ./node_modules/*`, or `sam sync`'s automatic layer), which
 * marks every package.json dependency external instead.
 */

/** The aws-lambda-builders exception that reports a failure, so messages read as SAM's do. */
type SamBuildErrorName = 'EsbuildExecutionError' | 'EsbuildCommandError' | 'ActionFailedError';

export class SamBuildError extends Error {
  constructor(name: SamBuildErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** BuildProperties as aws-lambda-builders receives them: snake_case keys (`MainFields` → `main_fields`). */
export type BuilderOptions = Record<string, unknown>;

/** SAM CLI's BUILD_PROPERTIES_PASCAL_TO_SNAKE_CASE_PATTERN, then lower(): `UseNpmCi` → `use_npm_ci`. */
const snakeCase = (key: string) => key.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();

/** Python's truth test, which SAM applies to EntryPoints: an empty list counts as absent. */
function isPythonFalsy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length === 0;
  return !value;
}

/** _get_build_options for the npm-esbuild dependency manager: without EntryPoints, the Handler's file part. */
export function builderOptions(buildProperties: BuildProperties, handler: string): BuilderOptions {
  const options: BuilderOptions = Object.fromEntries(
    Object.entries(buildProperties).map(([key, value]) => [snakeCase(key), value]),
  );
  if (handler && isPythonFalsy(buildProperties.EntryPoints)) options.entry_points = [handler.split('.')[0]];
  return options;
}

/** Set by aws-lambda-builders for Lambda's sake: a template's value for them is ignored. */
const NON_CONFIGURABLE = new Set(['bundle', 'platform', 'outdir']);
/** Read by the npm side of the workflow, not passed to esbuild. */
const NOT_FOR_ESBUILD = new Set(['use_npm_ci', 'entry_points']);

const kebabCase = (key: string) => key.replace(/_/g, '-');

/** One option as flags, by the value's type: true → `--key`, false → none, text → `--key=v`, list → `--key:v` each. */
function optionFlags(key: string, value: unknown): string[] {
  const flag = `--${kebabCase(key)}`;
  if (typeof value === 'boolean') return value ? [flag] : [];
  if (typeof value === 'string') return [`${flag}=${value}`];
  if (Array.isArray(value)) {
    return value.map((item) => {
      // SAM writes each item with Python's str(), which differs from JavaScript's for anything but text.
      if (typeof item !== 'string') throw new BuildPropertiesError(`${key} items other than text are not rehearsed`);
      return `${flag}:${item}`;
    });
  }
  throw new SamBuildError('EsbuildCommandError', `Failed to determine the type of the configuration: ${String(value)}`);
}

/** Each entry point relative to the scratch folder, with `.ts` or else `.js` added when it has no suffix. */
function entryPointArgs(options: BuilderOptions, scratchDir: string): string[] {
  const entryPoints = options.entry_points;
  if (entryPoints === undefined) throw new SamBuildError('EsbuildCommandError', 'entry_points not set');
  if (!Array.isArray(entryPoints)) throw new SamBuildError('EsbuildCommandError', 'entry_points must be a list');
  if (entryPoints.length === 0) throw new SamBuildError('EsbuildCommandError', 'entry_points must not be empty');
  return entryPoints.map((entryPoint: string) => {
    const entryPath = path.resolve(scratchDir, entryPoint);
    const candidates = path.extname(entryPoint) ? [''] : ['.ts', '.js'];
    const suffix = candidates.find((ext) => isRegularFile(entryPath + ext));
    if (suffix === undefined) throw new SamBuildError('ActionFailedError', `entry point ${entryPath} does not exist`);
    return entryPoint + suffix;
  });
}

/**
 * esbuild's arguments for one function, in EsbuildBundleAction's order: entry points, then
 * `--bundle --platform=node --outdir=<artifacts>` and SAM's defaults for an absent Target, Format and Minify,
 * then every other option. Run them with the scratch folder as working directory.
 */
export function esbuildArgs(options: BuilderOptions, scratchDir: string, artifactsDir: string): string[] {
  if (Array.isArray(options.external) && options.external.includes('./node_modules/*')) {
    throw new BuildPropertiesError('External "./node_modules/*" (dependencies in a layer) is not rehearsed');
  }
  // build_default_values tests the key's presence, not its value: `Minify: false` is what turns --minify off.
  const absentDefaults = Object.entries(SAM_DEFAULTS).filter(([key]) => !(snakeCase(key) in options));
  const configured = Object.entries(options).filter(([key]) => !NON_CONFIGURABLE.has(key) && !NOT_FOR_ESBUILD.has(key));
  return [
    ...entryPointArgs(options, scratchDir),
    '--bundle',
    '--platform=node',
    `--outdir=${artifactsDir}`,
    ...absentDefaults.flatMap(([key, value]) => optionFlags(snakeCase(key), value)),
    ...configured.flatMap(([key, value]) => optionFlags(key, value)),
  ];
}

/** os.path.isfile, the test OSUtils.file_exists makes. */
function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** utils.py's _access_check: exists (through symlinks), executable, not a directory. */
function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return !statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Python's os.defpath on POSIX: the search path when PATH is not set at all. */
const DEFAULT_PATH = '/bin:/usr/bin';

/**
 * aws_lambda_builders.utils.which: every executable `command` in `searchPaths`, then PATH's folders, each folder
 * once. An empty PATH finds nothing, not even in `searchPaths` (utils.py returns before looking).
 */
export function which(command: string, searchPaths: string[], pathEnv: string | undefined): string[] {
  const envPath = pathEnv ?? DEFAULT_PATH;
  if (!envPath) return [];
  const folders = [...new Set([...searchPaths, ...envPath.split(path.delimiter)])];
  return folders.map((folder) => path.join(folder, command)).filter(isExecutableFile);
}

const run = promisify(execFile);

/** `npm root` in the scratch folder, as the workflow asks it before installing (its node_modules, present or not). */
async function npmRoot(scratchDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('npm', ['root'], { cwd: scratchDir, env });
    return stdout.trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const message = "The esbuild workflow couldn't find npm installed on your system.";
    throw new SamBuildError('EsbuildExecutionError', message);
  }
}

/**
 * The esbuild sam build runs: the scratch folder's node_modules/.bin/esbuild (installed there by its
 * `npm install --omit=dev`, so only if esbuild is a dependency), else the first on `env.PATH`.
 */
export async function findEsbuild(scratchDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const npmBin = path.join(await npmRoot(scratchDir, env), '.bin');
  const [esbuild] = which('esbuild', [npmBin], env.PATH);
  if (esbuild === undefined) {
    throw new SamBuildError(
      'EsbuildExecutionError',
      'Cannot find esbuild. esbuild must be installed on the host machine to use this feature. ' +
        'It is recommended to be installed on the PATH, but can also be included as a project dependency.',
    );
  }
  return esbuild;
}

/** SubprocessEsbuild.run: a failed build is reported with esbuild's standard error. */
export async function runEsbuild(
  esbuild: string,
  args: string[],
  scratchDir: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    await run(esbuild, args, { cwd: scratchDir, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new SamBuildError('EsbuildExecutionError', stderr || (error as Error).message);
  }
}
