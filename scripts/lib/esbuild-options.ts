import path from 'node:path';
import type { BuildOptions, Loader } from 'esbuild';
import { isMapping } from '../../local/template/aws-rules/template-values';
import { serverlessFunctions } from '../../local/template/functions';
import type { Template } from '../../local/template/load';
import { resolveFromTemplate } from '../../local/template/queries';

/**
 * sam build's esbuild workflow (aws-lambda-builders, nodejs_npm_esbuild) turns a function's
 * `Metadata.BuildProperties` into esbuild command-line flags. This module makes the same translation into
 * esbuild's JS API options, so `npm run build` produces what `sam build` deploys from one source of truth
 * (template.yaml). aws-lambda-builders is Python and only ships a CLI translation, hence this small mirror.
 *
 * Mirrored rules (esbuild.py, EsbuildCommandBuilder): always `--bundle --platform=node --outdir=<artifacts>`;
 * `--target=es2020`, `--format=cjs` and `--minify` unless the property is given; booleans Minify/Sourcemap;
 * single values Target/Format/MainFields/SourcesContent; lists External/Loader/OutExtension/Banner given as
 * `key=value` strings; EntryPoints relative to CodeUri.
 */
export class BuildPropertiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildPropertiesError';
  }
}

export type BuildProperties = Record<string, unknown>;

const BOOLEAN = ['Minify', 'Sourcemap'] as const;
const SINGLE_VALUE = ['Target', 'Format', 'MainFields', 'SourcesContent'] as const;
const MULTI_VALUE = ['External', 'Loader', 'OutExtension', 'Banner'] as const;
const KNOWN = new Set<string>(['EntryPoints', ...BOOLEAN, ...SINGLE_VALUE, ...MULTI_VALUE]);

/** sam build's defaults when a BuildProperties key is absent (also the cold-start benchmark's baseline). */
export const SAM_DEFAULTS = { Target: 'es2020', Format: 'cjs', Minify: true } as const;

function stringList(props: BuildProperties, key: string): string[] {
  const value = props[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new BuildPropertiesError(`${key} must be a list of strings`);
  }
  return value as string[];
}

/** `['.js=.mjs']` → `{'.js': '.mjs'}`; the value may itself contain '=' (a Banner's code does). */
function keyValueList(props: BuildProperties, key: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of stringList(props, key)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new BuildPropertiesError(`${key} entries must look like "key=value", got "${item}"`);
    result[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return result;
}

function singleValue(props: BuildProperties, key: string): string | undefined {
  const value = props[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
    throw new BuildPropertiesError(`${key} must be a single value, got ${JSON.stringify(value)}`);
  }
  return String(value);
}

function booleanValue(props: BuildProperties, key: string): boolean | undefined {
  const value = props[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new BuildPropertiesError(`${key} must be true or false`);
  return value;
}

/**
 * esbuild options for one function's BuildProperties. `codeDir` is the function's CodeUri (absolute);
 * `outdir` where the bundle goes.
 */
export function esbuildOptions(props: BuildProperties, codeDir: string, outdir: string): BuildOptions {
  const unknown = Object.keys(props).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) {
    throw new BuildPropertiesError(
      `sam build does not support ${unknown.join(', ')} (supported: ${[...KNOWN].join(', ')})`,
    );
  }
  const entryPoints = stringList(props, 'EntryPoints');
  if (entryPoints.length === 0) throw new BuildPropertiesError('EntryPoints must name at least one file');
  const external = stringList(props, 'External');
  if (external.includes('./node_modules/*')) {
    throw new BuildPropertiesError(
      'External "./node_modules/*" (dependencies in a layer) is not supported by npm run build',
    );
  }
  const format = singleValue(props, 'Format') ?? SAM_DEFAULTS.Format;
  if (format !== 'cjs' && format !== 'esm' && format !== 'iife') {
    throw new BuildPropertiesError(`Format must be cjs, esm or iife, got "${format}"`);
  }
  const sourcesContent = singleValue(props, 'SourcesContent');
  const mainFields = singleValue(props, 'MainFields');
  return {
    entryPoints: entryPoints.map((entry) => path.join(codeDir, entry)),
    bundle: true,
    platform: 'node',
    outdir,
    target: singleValue(props, 'Target') ?? SAM_DEFAULTS.Target,
    format,
    minify: booleanValue(props, 'Minify') ?? SAM_DEFAULTS.Minify,
    sourcemap: booleanValue(props, 'Sourcemap') ?? false,
    ...(sourcesContent !== undefined && { sourcesContent: sourcesContent !== 'false' }),
    ...(mainFields !== undefined && { mainFields: mainFields.split(',').map((field) => field.trim()) }),
    external,
    loader: keyValueList(props, 'Loader') as Record<string, Loader>,
    outExtension: keyValueList(props, 'OutExtension'),
    banner: keyValueList(props, 'Banner'),
    logLevel: 'silent',
  };
}

/** What the build (and the benchmark, and validate) need to know about one esbuild-built function. */
export interface EsbuildFunction {
  logicalId: string;
  /** Absolute CodeUri. */
  codeDir: string;
  /** e.g. `app.handler`. */
  handler: string;
  buildProperties: BuildProperties;
  /** Environment variables as written in the template (Globals merged): strings or intrinsic functions. */
  environmentVariables: Record<string, unknown>;
}

/** Every `AWS::Serverless::Function` built with `Metadata.BuildMethod: esbuild`. */
export function esbuildFunctions(template: Template, baseDir: string): EsbuildFunction[] {
  return serverlessFunctions(template)
    .filter(({ resource }) => resource.Metadata?.BuildMethod === 'esbuild')
    .map(({ logicalId, resource, properties }) => {
      const variables = isMapping(properties.Environment) ? properties.Environment.Variables : undefined;
      return {
        logicalId,
        codeDir: resolveFromTemplate(baseDir, typeof properties.CodeUri === 'string' ? properties.CodeUri : '.'),
        handler: typeof properties.Handler === 'string' ? properties.Handler : '',
        buildProperties: (resource.Metadata?.BuildProperties ?? {}) as BuildProperties,
        environmentVariables: isMapping(variables) ? variables : {},
      };
    });
}
