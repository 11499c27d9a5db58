/**
 * The functions of template.yaml built once per version of their sources and shared by every test file that runs
 * them (in one jest run, and the next runs until a source changes). Without it each such file rebuilds every
 * function (seconds of esbuild on a busy 2-core machine), competing with DynamoDB Local's JVM start for the CPU.
 * Bundles live in the OS temp folder under a hash of everything that goes into them; a build writes into a
 * folder of its own that is renamed into place only when complete, so concurrent test files never see half a
 * build, and a lock file makes the other test files of the run wait for that build instead of repeating it.
 * The bundles are what `npm run build` makes (buildFunctions with the template's esbuild settings).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAlive } from '../../local/pids';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { buildFunctions } from '../../scripts/lib/build-functions';

const CACHE_ROOT = path.join(tmpdir(), 'serverless-workflows-test-functions');
/** Builds of sources nobody has used for this long are removed. */
const STALE_MS = 24 * 3600_000;

/** What the bundles are made of: the function code and data they import, the template's settings, the build. */
const SOURCES = ['functions', 'data', 'template.yaml', 'package-lock.json', 'tsconfig.json', 'scripts/lib'];

function filesUnder(relative: string): string[] {
  const absolute = path.join(PROJECT_ROOT, relative);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .map((entry) => path.join(relative, entry))
    .filter((file) => statSync(path.join(PROJECT_ROOT, file)).isFile())
    .sort();
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder)) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(PROJECT_ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function removeStaleBuilds(keep: string): Promise<void> {
  const entries = await readdir(CACHE_ROOT).catch(() => [] as string[]);
  for (const entry of entries) {
    const dir = path.join(CACHE_ROOT, entry);
    if (dir === keep) continue;
    const info = await stat(dir).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_MS) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Takes the lock for building `codeRoot` (a file holding the builder's pid), or waits while another process
 * holds it. Resolves true with the lock taken, or false once the bundles are there (someone else built them).
 * A lock whose process is gone (a run stopped half-way) is taken over.
 */
async function lockBuild(codeRoot: string, lock: string): Promise<boolean> {
  for (;;) {
    if (existsSync(codeRoot)) return false;
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
    // An empty file is a lock being written this instant; a dead holder's lock is free.
    if (holder > 0 && !isAlive(holder)) await rm(lock, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface FunctionBundles {
  /** Where the bundles of the current sources are (`<codeRoot>/<LogicalId>/app.js`): a codeRoot for the Lambda runner. */
  codeRoot: string;
  /** Makes sure they are there: builds them unless a test file (of this run or an earlier one) already has. */
  build(): Promise<void>;
}

/** The bundles of the current sources; pass both to startLocalCloud (codeRoot, build), or await build() first. */
export function functionBundles(): FunctionBundles {
  const codeRoot = path.join(CACHE_ROOT, sourceHash());
  const build = async () => {
    await mkdir(CACHE_ROOT, { recursive: true });
    const lock = `${codeRoot}.lock`;
    if (await lockBuild(codeRoot, lock)) {
      try {
        // Another process may have finished the build just before this one took the lock.
        if (!existsSync(codeRoot)) {
          const building = await mkdtemp(path.join(CACHE_ROOT, '.building-'));
          try {
            await buildFunctions(loadTemplate(), PROJECT_ROOT, building);
            await rename(building, codeRoot);
          } finally {
            await rm(building, { recursive: true, force: true });
          }
        }
      } finally {
        await rm(lock, { force: true });
      }
    }
    const now = new Date();
    await utimes(codeRoot, now, now); // in use: not stale
    await removeStaleBuilds(codeRoot);
  };
  return { codeRoot, build };
}
