import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serverlessFunctions } from '../../local/template/functions';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { buildFunctions, type BuiltFunction } from '../../scripts/lib/build-functions';
import { BuildPropertiesError, esbuildFunctions, esbuildOptions } from '../../scripts/lib/esbuild-options';
import { measureOnce, writeHarness } from '../../scripts/lib/measure-module-init';

/** The template's functions (docs/ARCHITECTURE.md), so that the loops over them below are never over none. */
const FUNCTIONS = [
  'CancelReservationFunction',
  'GetExamQuestionsFunction',
  'GetIncidentFunction',
  'GetReservationFunction',
  'ListIncidentsFunction',
  'ReserveRoomFunction',
  'ScheduleExamFunction',
  'SeedRoomsFunction',
  'SendExamNotificationFunction',
  'SubmitExamFunction',
  'TakeAdministrativeActionFunction',
];

/**
 * The credential providers the SDK's default chain loads only when the environment holds no credentials (with
 * `import()`, on first use), which in Lambda it always does: left External, out of every bundle, and found in the
 * runtime's own node_modules if ever needed (docs/deploy.md, "Packages the Lambda runtime provides").
 */
const CREDENTIAL_CHAIN_FALLBACKS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

const dependenciesOf = (packageName: string): string[] =>
  Object.keys(
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', packageName, 'package.json'), 'utf8'))
      .dependencies ?? {},
  );

describe('BuildProperties → esbuild options (the translation sam build makes)', () => {
  const codeDir = '/project';

  test("absent properties get sam build's defaults: cjs, es2020, minified, bundled for node", () => {
    expect(esbuildOptions({ EntryPoints: ['functions/a/app.ts'] }, codeDir, '/out')).toMatchObject({
      entryPoints: ['/project/functions/a/app.ts'],
      bundle: true,
      platform: 'node',
      outdir: '/out',
      format: 'cjs',
      target: 'es2020',
      minify: true,
      sourcemap: false,
      external: [],
    });
  });

  test('list properties are key=value pairs; MainFields is a comma-separated value', () => {
    const options = esbuildOptions(
      {
        EntryPoints: ['app.ts'],
        Format: 'esm',
        OutExtension: ['.js=.mjs'],
        MainFields: 'module,main',
        Banner: ['js=const a = 1; const b = a == 1;'],
        Loader: ['.json=json'],
        Minify: false,
        Sourcemap: true,
        External: ['@aws-sdk/*'],
      },
      codeDir,
      '/out',
    );
    expect(options).toMatchObject({
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      mainFields: ['module', 'main'],
      banner: { js: 'const a = 1; const b = a == 1;' },
      loader: { '.json': 'json' },
      minify: false,
      sourcemap: true,
      external: ['@aws-sdk/*'],
    });
  });

  test.each([
    [{ EntryPoints: ['a.ts'], TreeShaking: true }, /does not support TreeShaking/],
    [{ EntryPoints: [] }, /at least one/],
    [{ EntryPoints: ['a.ts'], OutExtension: '.js=.mjs' }, /OutExtension must be a list/],
    [{ EntryPoints: ['a.ts'], Banner: ['no-equals-sign'] }, /key=value/],
    [{ EntryPoints: ['a.ts'], Minify: 'yes' }, /Minify must be true or false/],
    [{ EntryPoints: ['a.ts'], Format: 'amd' }, /Format must be/],
  ])('%j is rejected with a BuildPropertiesError', (props, message) => {
    expect(() => esbuildOptions(props, codeDir, '/out')).toThrow(BuildPropertiesError);
    expect(() => esbuildOptions(props, codeDir, '/out')).toThrow(message);
  });

  test('every function of the template is built by esbuild, for fast cold starts', () => {
    const template = loadTemplate();
    const functions = esbuildFunctions(template, PROJECT_ROOT);
    expect(functions.map((fn) => fn.logicalId)).toEqual(
      serverlessFunctions(template).map(({ logicalId }) => logicalId),
    );
    expect(functions.map((fn) => fn.logicalId).sort()).toEqual(FUNCTIONS);
    for (const fn of functions) {
      expect(fn.handler).toBe('app.handler');
      expect(fn.buildProperties).toEqual({
        Format: 'cjs',
        Target: 'es2023',
        MainFields: 'module,main',
        Minify: true,
        Sourcemap: false,
        External: CREDENTIAL_CHAIN_FALLBACKS,
        EntryPoints: [expect.stringMatching(/^functions\/[a-z-]+\/app\.ts$/)],
      });
    }
  });

  test('what is left External is only what the Lambda runtime provides: the credential chain of its SDK clients', () => {
    // The runtime ships the AWS SDK's clients with their dependencies; every client depends on the default chain.
    expect(dependenciesOf('@aws-sdk/client-dynamodb')).toContain('@aws-sdk/credential-provider-node');
    expect(dependenciesOf('@aws-sdk/credential-provider-node')).toEqual(
      expect.arrayContaining(CREDENTIAL_CHAIN_FALLBACKS),
    );
  });
});

describe('npm run build (functions)', () => {
  let outRoot: string;
  let built: BuiltFunction[];
  const template = loadTemplate();

  beforeAll(async () => {
    outRoot = mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
    built = await buildFunctions(template, PROJECT_ROOT, outRoot);
  }, 120_000);
  afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

  test('one folder per function, holding exactly its CommonJS bundle app.js and no source map', () => {
    const ids = serverlessFunctions(template).map(({ logicalId }) => logicalId);
    expect([...ids].sort()).toEqual(FUNCTIONS);
    expect(readdirSync(outRoot).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(readdirSync(path.join(outRoot, id))).toEqual(['app.js']);
    expect(built.map((fn) => path.relative(outRoot, fn.bundle)).sort()).toEqual(ids.map((id) => `${id}/app.js`).sort());
  });

  test('each bundle is minified CommonJS exporting handler, with the AWS SDK inside and only the fallbacks outside', () => {
    expect(built.map((fn) => path.basename(path.dirname(fn.bundle))).sort()).toEqual(FUNCTIONS);
    for (const fn of built) {
      const code = readFileSync(fn.bundle, 'utf8');
      expect(fn.bytes).toBe(Buffer.byteLength(code));
      expect(code).toMatch(/module\.exports\s*=/);
      expect(code).not.toMatch(/^import |\bimport\.meta\b/m);
      const required = [...code.matchAll(/require\("(@[^/"]+\/[^/"]+)[^"]*"\)/g)].map((match) => match[1]);
      expect(required.filter((name) => !CREDENTIAL_CHAIN_FALLBACKS.includes(name))).toEqual([]);
      expect(code).not.toMatch(/sourceMappingURL/);
      expect(code.split('\n').length).toBeLessThan(200);
    }
  });

  test('each bundle initialises and runs its first invocation without the External packages within reach', async () => {
    // outRoot is a temporary folder with no node_modules above it, and NODE_PATH is not set: a require of an
    // External package at init would fail the load.
    const harnessDir = mkdtempSync(path.join(os.tmpdir(), 'build-test-harness-'));
    const harness = await writeHarness(harnessDir);
    for (const fn of built) {
      const sample = await measureOnce(harness, fn.bundle, {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_LAMBDA_FUNCTION_NAME: path.basename(fn.dir),
      });
      expect(sample.ms).toBeGreaterThan(0);
    }
    rmSync(harnessDir, { recursive: true, force: true });
  }, 60_000);
});
