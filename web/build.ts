/**
 * Builds the web pages into `outDir`: one esbuild bundle per page (`<page>/main.ts` → `<page>/main.js`
 * with a separate source map), each page's `index.html`, the shared stylesheet, and a default
 * `config.js` for running on this machine (same-origin API). `npm start` serves its own `config.js`
 * with the real ports; `scripts/deploy-web.ts` writes the deployed one from the stack outputs.
 */
import { build } from 'esbuild';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { configScript, type AppConfig } from './shared/app-config';

/** Every page, by the folder it lives in (and the path it is served at). */
export const WEB_PAGES = ['admin', 'testcentre', 'callcenter', '_local'] as const;
export type WebPage = (typeof WEB_PAGES)[number];

/** Pages that only make sense on this machine (never deployed). */
export const LOCAL_ONLY_PAGES: readonly WebPage[] = ['_local'];

const WEB_ROOT = __dirname;

/** The configuration `npm start` would serve with the contract's default ports. */
export const DEFAULT_LOCAL_CONFIG: AppConfig = {
  apiBaseUrl: '',
  local: true,
  sfnDashboardBase: 'http://localhost:3000', // the API port serves the dashboard endpoints (and /_local/outbox)
};

export async function buildWeb(outDir = 'dist/web'): Promise<void> {
  const out = path.resolve(outDir);
  await rm(out, { recursive: true, force: true });
  await build({
    entryPoints: WEB_PAGES.map((page) => ({ in: path.join(WEB_ROOT, page, 'main.ts'), out: `${page}/main` })),
    outdir: out,
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await Promise.all(
    WEB_PAGES.map(async (page) => {
      await mkdir(path.join(out, page), { recursive: true });
      await copyFile(path.join(WEB_ROOT, page, 'index.html'), path.join(out, page, 'index.html'));
    }),
  );
  await copyFile(path.join(WEB_ROOT, 'index.html'), path.join(out, 'index.html'));
  await copyFile(path.join(WEB_ROOT, 'shared', 'styles.css'), path.join(out, 'styles.css'));
  await writeFile(path.join(out, 'config.js'), configScript(DEFAULT_LOCAL_CONFIG));
}

if (require.main === module) {
  buildWeb(process.argv[2]).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
