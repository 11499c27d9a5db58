import path from 'node:path';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { buildWeb } from '../../web/build';
import { buildFunctions, type BuiltFunction, type FunctionBuildOptions } from './build-functions';

export const FUNCTIONS_OUT = path.join(PROJECT_ROOT, 'dist', 'functions');
export const WEB_OUT = path.join(PROJECT_ROOT, 'dist', 'web');

export interface ProjectBuild {
  functions: BuiltFunction[];
}

/**
 * What `npm run build` does: every function of template.yaml into dist/functions/<LogicalId>/ with its template
 * esbuild settings, and the web pages into dist/web/ through web/build.ts's buildWeb, all concurrently.
 * `npm start` passes `reuseUpToDate` so functions whose sources did not change since the last build are kept.
 */
export async function buildProject(templateFile?: string, options: FunctionBuildOptions = {}): Promise<ProjectBuild> {
  const template = loadTemplate(templateFile);
  const baseDir = templateFile ? path.dirname(path.resolve(templateFile)) : PROJECT_ROOT;
  const [functions] = await Promise.all([buildFunctions(template, baseDir, FUNCTIONS_OUT, options), buildWeb(WEB_OUT)]);
  return { functions };
}
