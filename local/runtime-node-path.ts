import path from 'node:path';
import { PROJECT_ROOT } from './template/load';

/**
 * NODE_PATH for a function's process, the local stand-in for the Lambda Node.js runtime's. In Lambda, NODE_PATH is
 * `/opt/nodejs/node24/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`
 * (set by the nodejs24.x runtime's bootstrap script unless the function sets it; the AWS Lambda Developer Guide lists
 * NODE_PATH among its "Defined runtime environment variables", and https://dev.to/wonderfulsoap/deep-dive-into-aws-lambda-3-official-nodejs-runtime-analysis-43je
 * quotes the Node.js 24 bootstrap), and /var/runtime/node_modules holds the
 * AWS SDK for JavaScript v3 the runtime ships: every @aws-sdk/client-* package with its dependencies, among them the
 * credential providers (docs/deploy.md, "Packages the Lambda runtime provides"). A bundle that leaves a package
 * `External` (template.yaml's BuildProperties) finds it there with `require`. Locally the project's node_modules
 * plays that part: the same packages, installed by npm from package-lock.json, found whatever folder the bundle is
 * in (a scratch folder of the benchmark or of the sam build rehearsal as well as dist/functions).
 */
export function runtimeNodePath(): string {
  return path.join(PROJECT_ROOT, 'node_modules');
}
