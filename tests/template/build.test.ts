import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serverlessFunctions } from '../../local/template/functions';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { buildFunctions, type BuiltFunction } from '../../scripts/lib/build-functions';
import { BuildPropertiesError, esbuildFunctions, esbuildOptions } from '../../scripts/lib/esbuild-options';

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
      expect(fn.buildProperties).toMatchObject({
        Format: 'esm',
        OutExtension: ['.js=.mjs'],
        MainFields: 'module,main',
        Minify: true,
        Sourcemap: false,
        EntryPoints: [expect.stringMatching(/^functions\/[a-z-]+\/app\.ts$/)],
      });
      expect(fn.buildProperties.External).toBeUndefined();
    }
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

  test('one folder per function, holding exactly its ESM bundle app.mjs and no source map', () => {
    const ids = serverlessFunctions(template).map(({ logicalId }) => logicalId);
    expect([...ids].sort()).toEqual(FUNCTIONS);
    expect(readdirSync(outRoot).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(readdirSync(path.join(outRoot, id))).toEqual(['app.mjs']);
    expect(built.map((fn) => path.relative(outRoot, fn.bundle)).sort()).toEqual(
      ids.map((id) => `${id}/app.mjs`).sort(),
    );
  });

  test('each bundle is minified ESM exporting handler, with the AWS SDK inside and a require for CommonJS dependencies', () => {
    expect(built.map((fn) => path.basename(path.dirname(fn.bundle))).sort()).toEqual(FUNCTIONS);
    for (const fn of built) {
      const code = readFileSync(fn.bundle, 'utf8');
      expect(fn.bytes).toBe(Buffer.byteLength(code));
      expect(
        code.startsWith("import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"),
      ).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
      expect(code).not.toMatch(/from\s*"@aws-sdk\//);
      expect(code).not.toMatch(/sourceMappingURL/);
      expect(code.split('\n').length).toBeLessThan(200);
    }
  });
});
