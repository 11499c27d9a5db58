/**
 * Imported first by every handler test. @middy/core 7 (and @middy/util) publish only an "import" export
 * condition, which jest's CommonJS resolver cannot see; point the bare names at their files (swc compiles
 * them, see jest.config.cjs). This belongs in jest.config.cjs as a moduleNameMapper.
 */
// The matchers are registered by jest.config.cjs; this brings their types.
import type {} from 'aws-sdk-client-mock-jest';

jest.mock('@middy/util', () => jest.requireActual('../../../node_modules/@middy/util/index.js'), { virtual: true });
jest.mock('@middy/core', () => jest.requireActual('../../../node_modules/@middy/core/index.js'), { virtual: true });

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'unit-tests',
  POWERTOOLS_METRICS_NAMESPACE: 'UnitTests',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_DISABLED: 'true',
  POWERTOOLS_METRICS_DISABLED: 'true',
  ROOMS_TABLE: 'RoomsTable',
  ROOM_NIGHTS_TABLE: 'RoomNightsTable',
  RESERVATIONS_TABLE: 'ReservationsTable',
  INCIDENTS_TABLE: 'IncidentsTable',
  SENDER_EMAIL: 'noreply@example.com',
  ADMIN_EMAIL: 'admin@example.com',
  TESTING_CENTRE_URL: 'https://exams.example.com/testcentre/',
});

// Spies (metrics, Math.random, fetch) must not carry calls or fakes from one test into the next.
afterEach(() => jest.restoreAllMocks());
