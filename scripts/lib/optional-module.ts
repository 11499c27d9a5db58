import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../local/template/load';

/**
 * Loads a module that another part of the project provides and that may not be written yet
 * (web/build.ts). Returns undefined when the file does not exist; a file that exists but
 * fails to load is a real error and is thrown. A path that TypeScript cannot see statically keeps the build of
 * this project independent of whether those files exist yet.
 */
export function loadOptionalModule<T>(relativePath: string): T | undefined {
  const file = path.join(PROJECT_ROOT, relativePath);
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}
