/**
 * The environment for running the incident functions' handlers in the test's own process against DynamoDB Local, as
 * template.yaml gives it to them (table names as the local cloud makes them). Set it before importing a handler:
 * its modules read it when loaded.
 */
export function useIncidentFunctionEnvironment(dynamodbEndpoint: string): void {
  Object.assign(process.env, {
    INCIDENTS_TABLE: 'IncidentsTable',
    INCIDENT_COUNTS_TABLE: 'IncidentCountsTable',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    PAGE_TOKEN_KEY: 'the key of this test',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_DISABLED: 'true',
  });
}
