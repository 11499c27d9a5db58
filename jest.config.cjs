/** Unit, conformance, state-machine and integration tests (everything but the browser tests). */
const { availableParallelism } = require('node:os');

const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
/** The project's own tests. */
const project = {
  displayName: 'project',
  testEnvironment: 'node',
  // engine/tests: the engine package's own tests (its unit tests and the AWS-recorded conformance corpus).
  roots: ['<rootDir>/tests', '<rootDir>/engine/tests'],
  testMatch: ['**/*.test.ts'],
  // tests/fixtures/sfn-local-samples: AWS's samples, run by their own project below.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/e2e/', '<rootDir>/tests/fixtures/sfn-local-samples/'],
  // @middy/core 7 ships ESM only: compile it (and other ESM-only packages) to CommonJS for jest.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  // ...and it publishes only an "import" export condition, which jest's CommonJS resolver does not see.
  moduleNameMapper: { '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  // The engine workspace package (@serverless-workflows/sfn-engine, TypeScript: its main is src/index.ts) is a
  // symlink in node_modules; jest resolves it to its real path, engine/src, so transformIgnorePatterns leaves it
  // to swc like the project's own files.
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
};

/**
 * AWS's Step Functions Local sample written for jest (serverless-test-samples typescript-test-samples/
 * step-functions-local, vendored unchanged in tests/fixtures/sfn-local-samples), run with its own testMatch against
 * our Step Functions API in Step Functions Local mode. Substituted: `testcontainers` (the container start: our API,
 * tests/sfn-local-samples/testcontainers.ts), the sample's esbuild-jest transform (swc, as ours), and the region and
 * credentials its SDK client takes from the developer's environment (tests/sfn-local-samples/sdk-environment.ts).
 */
const sfnLocalSamples = {
  displayName: 'sfn-local-samples',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/fixtures/sfn-local-samples/serverless-test-samples/typescript-test-samples'],
  testMatch: ['**/tests/sfnLocal/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^testcontainers$': '<rootDir>/tests/sfn-local-samples/testcontainers.ts' },
  setupFiles: ['<rootDir>/tests/sfn-local-samples/sdk-environment.ts'],
};

module.exports = {
  projects: [project, sfnLocalSamples],
  // The slow test files mostly wait on other processes (DynamoDB Local's JVM, function workers, npm start), so
  // a second worker overlaps those waits even on 2 cores, where jest's default (cores - 1) would run one file
  // at a time.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
