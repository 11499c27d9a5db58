import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { upToDateBuild, writeBuildRecord } from '../../scripts/lib/build-record';

describe('build records (npm start keeps bundles whose sources did not change)', () => {
  let dir: string;
  let input: string;
  const options = { entryPoints: ['app.ts'], minify: true };
  const result = { logicalId: 'Fn', bundle: 'app.mjs' };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'build-record-'));
    input = path.join(dir, 'app.ts');
    writeFileSync(input, 'export const handler = 1;');
    writeBuildRecord(dir, options, [input], result);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers the recorded result while options and inputs are unchanged', () => {
    expect(upToDateBuild(dir, { ...options })).toEqual(result);
  });

  it('is stale when an input changed, disappeared, or the options differ', () => {
    expect(upToDateBuild(dir, { ...options, minify: false })).toBeUndefined();

    utimesSync(input, new Date(), new Date(Date.now() + 5_000));
    expect(upToDateBuild(dir, options)).toBeUndefined();

    writeBuildRecord(dir, options, [input], result);
    rmSync(input);
    expect(upToDateBuild(dir, options)).toBeUndefined();
  });

  it('is stale when there is no record', () => {
    expect(upToDateBuild(path.join(dir, 'elsewhere'), options)).toBeUndefined();
  });
});
