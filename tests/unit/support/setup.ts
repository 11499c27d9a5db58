/** Imported first by every handler test: the environment the template gives the functions. */
// The matchers are registered by jest.config.cjs; this brings their types.
import type {} from 'aws-sdk-client-mock-jest';

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
  INCIDENT_COUNTS_TABLE: 'IncidentCountsTable',
  SENDER_EMAIL: 'noreply@example.com',
  ADMIN_EMAIL: 'admin@example.com',
  TESTING_CENTRE_URL: 'https://exams.example.com/testcentre/',
});

// Spies (metrics, Math.random, fetch) must not carry calls or fakes from one test into the next.
afterEach(() => jest.restoreAllMocks());
