import path from 'node:path';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { buildFunctions, type BuiltFunction, type FunctionBuildOptions } from './build-functions';
import { loadOptionalModule } from './optional-module';

export const FUNCTIONS_OUT = path.join(PROJECT_ROOT, 'dist', 'functions');
export const WEB_OUT = path.join(PROJECT_ROOT, 'dist', 'web');

interface WebBuildModule {
  buildWeb(outDir?: string): Promise<void>;
}

export interface ProjectBuild {
  functions: BuiltFunction[];
  /** False while web/build.ts does not exist yet. */
  webBuilt: boolean;
}

/**
 * What `npm run build` does: every function of template.yaml into dist/functions/<LogicalId>/ with its template
 * esbuild settings, and the web pages into dist/web/ through web/build.ts's buildWeb, all concurrently.
 * `npm start` passes `reuseUpToDate` so functions whose sources did not change since the last build are kept.
 */
export async function buildProject(templateFile?: string, options: FunctionBuildOptions = {}): Promise<ProjectBuild> {
  const template = loadTemplate(templateFile);
  const baseDir = templateFile ? path.dirname(path.resolve(templateFile)) : PROJECT_ROOT;
  const web = loadOptionalModule<WebBuildModule>('web/build.ts');
  const [functions] = await Promise.all([
    buildFunctions(template, baseDir, FUNCTIONS_OUT, options),
    web ? web.buildWeb(WEB_OUT) : Promise.resolve(),
  ]);
  return { functions, webBuilt: web !== undefined };
}
