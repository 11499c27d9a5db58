/**
 * AWS's Python Step Functions Local sample (serverless-test-samples python-test-samples/step-functions-local-mock,
 * vendored unchanged in tests/fixtures/sfn-local-samples), its pytest file run as its README runs it
 * (`python3 -m pytest unit/src/test_step_functions_local.py` from its tests/ folder, with the README's exported
 * credentials and region) against our Step Functions API in Step Functions Local mode.
 *
 * Substituted: the `testcontainers` package (python/testcontainers/: where the sample starts the
 * amazon/aws-stepfunctions-local container, our API starts in a process of its own, sfn-local-server.ts, on a free
 * port instead of the sample's bound 8083). Its real-time waits are its own: 2 s after start, 1 s between polls,
 * and its retry path's back-off (2 + 4 + 8 s): about 20 s.
 *
 * Needs python3 with pytest and boto3 (the sample's requirements.txt, but testcontainers); without them the test
 * says so and is skipped.
 */
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';

const sample = path.join(
  __dirname,
  '../fixtures/sfn-local-samples/serverless-test-samples/python-test-samples/step-functions-local-mock',
);
const python = process.env.PYTHON ?? 'python3';
const missing = spawnSync(python, ['-c', 'import pytest, boto3'], { encoding: 'utf8' });
const runnable = missing.status === 0;
if (!runnable)
  console.warn(`skipped: the Python sample needs ${python} with pytest and boto3 (${missing.stderr || missing.error})`);

function runPytest(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'pytest', '-p', 'no:cacheprovider', 'unit/src/test_step_functions_local.py'], {
      cwd: path.join(sample, 'tests'),
      env: {
        ...process.env,
        // The README's exports, and the region as its aws-stepfunctions-local-credentials.txt names it: boto3 reads
        // AWS_DEFAULT_REGION (a developer's ~/.aws/config gives it otherwise), not AWS_REGION.
        AWS_ACCESS_KEY_ID: 'DUMMYIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'DUMMYEXAMPLEKEY',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        // The stand-in for testcontainers, and what it runs in place of the container.
        PYTHONPATH: path.join(__dirname, 'python'),
        PYTHONDONTWRITEBYTECODE: '1',
        SFN_LOCAL_SERVER_COMMAND: JSON.stringify([
          process.execPath,
          '--import',
          'tsx',
          path.join(__dirname, 'sfn-local-server.ts'),
        ]),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

(runnable ? test : test.skip)(
  'the Python sample passes its three pytest tests unchanged',
  async () => {
    const { status, output } = await runPytest();
    expect({ status, summary: output.trim().split('\n').at(-1) }).toEqual({
      status: 0,
      summary: expect.stringMatching(/^=+ 3 passed in [\d.]+s/),
    });
  },
  120_000,
);
