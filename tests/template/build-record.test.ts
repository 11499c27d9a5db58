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
    writeBuildRecord(path.join(dir, 'Fn'), options, [input], result);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers the recorded result while options and inputs are unchanged', () => {
    expect(upToDateBuild(path.join(dir, 'Fn'), { ...options })).toEqual(result);
  });

  it('is stale when an input changed, disappeared, or the options differ', () => {
    expect(upToDateBuild(path.join(dir, 'Fn'), { ...options, minify: false })).toBeUndefined();

    utimesSync(input, new Date(), new Date(Date.now() + 5_000));
    expect(upToDateBuild(path.join(dir, 'Fn'), options)).toBeUndefined();

    writeBuildRecord(path.join(dir, 'Fn'), options, [input], result);
    rmSync(input);
    expect(upToDateBuild(path.join(dir, 'Fn'), options)).toBeUndefined();
  });

  it('is stale when there is no record', () => {
    expect(upToDateBuild(path.join(dir, 'Other'), options)).toBeUndefined();
  });
});
