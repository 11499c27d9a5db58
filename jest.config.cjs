/** Unit, conformance, state-machine and integration tests (everything but the browser tests). */
const { availableParallelism } = require('node:os');

const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
module.exports = {
  testEnvironment: 'node',
  // engine/tests: the engine package's own tests (its unit tests and the AWS-recorded conformance corpus).
  roots: ['<rootDir>/tests', '<rootDir>/engine/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/e2e/'],
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
  // The slow test files mostly wait on other processes (DynamoDB Local's JVM, function workers, npm start), so
  // a second worker overlaps those waits even on 2 cores, where jest's default (cores - 1) would run one file
  // at a time.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
