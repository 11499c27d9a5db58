/**
 * JSON schemas of the request members of every operation we serve, with the service model's constraints
 * (AWS SFN 2016-11-23: lengths, ranges, enums). Validated with ajv by validate-request.ts.
 * Unknown members are accepted and ignored, as AWS does for members newer SDKs may send.
 */
type Schema = Record<string, unknown>;

const str = (minLength: number, maxLength: number): Schema => ({ type: 'string', minLength, maxLength });
const int = (minimum: number, maximum: number): Schema => ({ type: 'integer', minimum, maximum });
const bool: Schema = { type: 'boolean' };
const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });

const arn = str(1, 256);
const name = str(1, 80);
const definition = str(1, 1048576);
const executionData = str(0, 262144);
const error = str(0, 256);
const cause = str(0, 32768);
const stateMachineType = oneOf('STANDARD', 'EXPRESS');
const includedData = oneOf('ALL_DATA', 'METADATA_ONLY');
// No maxItems on destinations: AWS answers two with InvalidLoggingConfiguration, not a ValidationException.
const loggingConfiguration: Schema = {
  type: 'object',
  properties: {
    level: oneOf('ALL', 'ERROR', 'FATAL', 'OFF'),
    includeExecutionData: bool,
    destinations: { type: 'array' },
  },
};
const tracingConfiguration: Schema = { type: 'object', properties: { enabled: bool } };
const encryptionConfiguration: Schema = {
  type: 'object',
  properties: {
    kmsKeyId: str(1, 2048),
    kmsDataKeyReusePeriodSeconds: int(60, 900),
    type: oneOf('AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY'),
  },
};
const tags: Schema = {
  type: 'array',
  items: { type: 'object', properties: { key: str(1, 128), value: str(0, 256) } },
};
const longArn = str(1, 2000);
const pageSize = int(0, 1000);
const pageToken = str(1, 1024);
const description = str(0, 256);
/** Alias names: the model's pattern (AWS's message quotes it, LocalStack's AWS-validated test_sfn_api_aliasing). */
const aliasName: Schema = { ...str(1, 80), pattern: '^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$' };
const routingConfiguration: Schema = {
  type: 'array',
  minItems: 1,
  maxItems: 2,
  items: {
    type: 'object',
    properties: { stateMachineVersionArn: longArn, weight: int(0, 100) },
    required: ['stateMachineVersionArn', 'weight'],
  },
};

const request = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});

export const requestSchemas = {
  CreateStateMachine: request(
    {
      name,
      definition,
      roleArn: arn,
      type: stateMachineType,
      loggingConfiguration,
      tracingConfiguration,
      tags,
      publish: bool,
      versionDescription: str(0, 256),
      encryptionConfiguration,
    },
    ['name', 'definition', 'roleArn'],
  ),
  DescribeStateMachine: request({ stateMachineArn: arn, includedData }, ['stateMachineArn']),
  ListStateMachines: request({ maxResults: int(0, 1000), nextToken: str(1, 1024) }),
  UpdateStateMachine: request(
    {
      stateMachineArn: arn,
      definition,
      roleArn: arn,
      loggingConfiguration,
      tracingConfiguration,
      publish: bool,
      versionDescription: str(0, 256),
      encryptionConfiguration,
    },
    ['stateMachineArn'],
  ),
  DeleteStateMachine: request({ stateMachineArn: arn }, ['stateMachineArn']),
  StartExecution: request({ stateMachineArn: arn, name, input: executionData, traceHeader: str(0, 256) }, [
    'stateMachineArn',
  ]),
  StartSyncExecution: request(
    { stateMachineArn: arn, name, input: executionData, traceHeader: str(0, 256), includedData },
    ['stateMachineArn'],
  ),
  DescribeExecution: request({ executionArn: arn, includedData }, ['executionArn']),
  ListExecutions: request({
    stateMachineArn: arn,
    statusFilter: oneOf('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'),
    maxResults: int(0, 1000),
    nextToken: str(1, 3096),
    mapRunArn: str(1, 2000),
    redriveFilter: oneOf('REDRIVEN', 'NOT_REDRIVEN'),
  }),
  StopExecution: request({ executionArn: arn, error, cause }, ['executionArn']),
  GetExecutionHistory: request(
    {
      executionArn: arn,
      maxResults: int(0, 1000),
      reverseOrder: bool,
      nextToken: str(1, 3096),
      includeExecutionData: bool,
    },
    ['executionArn'],
  ),
  SendTaskSuccess: request({ taskToken: str(1, 2048), output: executionData }, ['taskToken', 'output']),
  SendTaskFailure: request({ taskToken: str(1, 2048), error, cause }, ['taskToken']),
  SendTaskHeartbeat: request({ taskToken: str(1, 2048) }, ['taskToken']),
  ValidateStateMachineDefinition: request(
    { definition, type: stateMachineType, severity: oneOf('ERROR', 'WARNING'), maxResults: int(0, 100) },
    ['definition'],
  ),
  DescribeStateMachineForExecution: request({ executionArn: arn, includedData }, ['executionArn']),
  PublishStateMachineVersion: request({ stateMachineArn: arn, revisionId: str(0, 2048), description }, [
    'stateMachineArn',
  ]),
  ListStateMachineVersions: request({ stateMachineArn: arn, nextToken: pageToken, maxResults: pageSize }, [
    'stateMachineArn',
  ]),
  DeleteStateMachineVersion: request({ stateMachineVersionArn: longArn }, ['stateMachineVersionArn']),
  CreateStateMachineAlias: request({ description, name: aliasName, routingConfiguration }, [
    'name',
    'routingConfiguration',
  ]),
  DescribeStateMachineAlias: request({ stateMachineAliasArn: arn }, ['stateMachineAliasArn']),
  UpdateStateMachineAlias: request({ stateMachineAliasArn: arn, description, routingConfiguration }, [
    'stateMachineAliasArn',
  ]),
  DeleteStateMachineAlias: request({ stateMachineAliasArn: arn }, ['stateMachineAliasArn']),
  ListStateMachineAliases: request({ stateMachineArn: arn, nextToken: pageToken, maxResults: pageSize }, [
    'stateMachineArn',
  ]),
  TagResource: request({ resourceArn: arn, tags }, ['resourceArn', 'tags']),
  UntagResource: request({ resourceArn: arn, tagKeys: { type: 'array', items: str(1, 128) } }, [
    'resourceArn',
    'tagKeys',
  ]),
  ListTagsForResource: request({ resourceArn: arn }, ['resourceArn']),
  CreateActivity: request({ name, tags, encryptionConfiguration }, ['name']),
  DescribeActivity: request({ activityArn: arn }, ['activityArn']),
  ListActivities: request({ maxResults: pageSize, nextToken: pageToken }),
  DeleteActivity: request({ activityArn: arn }, ['activityArn']),
  GetActivityTask: request({ activityArn: arn, workerName: name }, ['activityArn']),
  DescribeMapRun: request({ mapRunArn: longArn }, ['mapRunArn']),
  ListMapRuns: request({ executionArn: arn, maxResults: pageSize, nextToken: pageToken }, ['executionArn']),
  UpdateMapRun: request(
    {
      mapRunArn: longArn,
      maxConcurrency: int(0, 2147483647),
      toleratedFailurePercentage: { type: 'number', minimum: 0, maximum: 100 },
      toleratedFailureCount: int(0, 2147483647),
    },
    ['mapRunArn'],
  ),
  // ClientToken: 1-64 printable ASCII characters without spaces (the model's pattern [!-~]+).
  RedriveExecution: request({ executionArn: arn, clientToken: { ...str(1, 64), pattern: '^[!-~]+$' } }, [
    'executionArn',
  ]),
  // TestStateInput (the API reference's constraints: API_TestState, API_MockInput, API_TestStateConfiguration).
  TestState: request(
    {
      definition,
      roleArn: arn,
      input: executionData,
      inspectionLevel: oneOf('INFO', 'DEBUG', 'TRACE'),
      revealSecrets: bool,
      variables: executionData,
      stateName: name,
      mock: {
        type: 'object',
        properties: {
          result: executionData,
          errorOutput: { type: 'object', properties: { error, cause } },
          fieldValidationMode: oneOf('STRICT', 'PRESENT', 'NONE'),
        },
      },
      context: executionData,
      stateConfiguration: {
        type: 'object',
        properties: {
          retrierRetryCount: int(0, 2147483647),
          errorCausedByState: name,
          mapIterationFailureCount: int(0, 2147483647),
          mapItemReaderData: executionData,
        },
      },
    },
    ['definition'],
  ),
} satisfies Record<string, Schema>;

export type Operation = keyof typeof requestSchemas;

/** Members whose values AWS leaves out of validation messages (they may hold customer data). */
export const sensitiveMembers = new Set([
  'definition',
  'input',
  'output',
  'cause',
  'error',
  'taskToken',
  'versionDescription',
  'description',
  'variables',
  'context',
  'result',
  'errorCausedByState',
  'mapItemReaderData',
]);
