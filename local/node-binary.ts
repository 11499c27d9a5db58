import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './template/load';

/**
 * Node 24 from the `node` devDependency, for the processes the local cloud forks (function workers, service
 * keepers): the Lambda runtime's version and the one that runs their .mts files, whatever node runs the caller.
 */
export function nodeBinary(): string {
  const local = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}
