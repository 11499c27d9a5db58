/**
 * The DynamoDB and SES integrations against the real local services (DynamoDB Local on Java, the SES capture),
 * called the way the engine calls them: Integrations.invoke(TaskRequest).
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TaskOutcome, TaskRequest } from '@serverless-workflows/sfn-engine';
import { startDynamoDbLocal } from '../../local/services/dynamodb-local';
import { freePort, freePorts } from '../../local/services/ports';
import { capturedEmails, startSesCapture } from '../../local/services/ses-capture';
import type { LocalService } from '../../local/services/service';
import { LocalIntegrations } from '../../local/sfn-api/integrations/index';
import { FakeLambda } from './fake-lambda';

jest.setTimeout(90_000);

let dynamodb: LocalService;
let ses: LocalService;
let integrations: LocalIntegrations;

beforeAll(async () => {
  const [ddbPort, sesPort] = await freePorts(2);
  [dynamodb, ses] = await Promise.all([startDynamoDbLocal({ port: ddbPort }), startSesCapture({ port: sesPort })]);
  const client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'IncidentsTable',
      KeySchema: [{ AttributeName: 'IncidentId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'IncidentId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
  integrations = new LocalIntegrations({
    lambda: new FakeLambda(),
    endpoints: { dynamodb: dynamodb.endpoint, ses: ses.endpoint, sfn: () => 'http://127.0.0.1:9' },
    region: 'us-east-1',
    now: () => Date.now(),
  });
});

afterAll(async () => {
  integrations?.close();
  await Promise.all([dynamodb?.stop(), ses?.stop()]);
});

const call = (resource: string, parameters: unknown): Promise<TaskOutcome> =>
  integrations.invoke({
    resource,
    parameters,
    stateName: 'S',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
    stateMachineName: 'M',
    attempt: 0,
    signal: new AbortController().signal,
  } satisfies TaskRequest);

const v1Cause = (message: string, code: string) =>
  new RegExp(
    `^${message} \\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ${code}; Request ID: [^;]*; Proxy: null\\)$`,
  );

describe('optimized DynamoDB integrations (arn:aws:states:::dynamodb:*)', () => {
  const item = { IncidentId: { S: 'i-1' }, Status: { S: 'EXAM_SCHEDULED' } };

  it('putItem answers {} with SdkHttpMetadata and SdkResponseMetadata', async () => {
    const outcome = await call('arn:aws:states:::dynamodb:putItem', {
      TableName: 'IncidentsTable',
      Item: item,
      ConditionExpression: 'attribute_not_exists(IncidentId)',
    });
    expect(outcome).toEqual({
      ok: true,
      output: {
        SdkHttpMetadata: {
          AllHttpHeaders: expect.objectContaining({ 'Content-Type': ['application/x-amz-json-1.0'] }),
          HttpHeaders: expect.objectContaining({ 'Content-Type': 'application/x-amz-json-1.0' }),
          HttpStatusCode: 200,
        },
        SdkResponseMetadata: { RequestId: expect.any(String) },
      },
    });
  });

  it('a failed condition is DynamoDB.ConditionalCheckFailedException with the Java SDK v1 cause', async () => {
    const outcome = await call('arn:aws:states:::dynamodb:putItem', {
      TableName: 'IncidentsTable',
      Item: item,
      ConditionExpression: 'attribute_not_exists(IncidentId)',
    });
    expect(outcome).toEqual({
      ok: false,
      error: 'DynamoDB.ConditionalCheckFailedException',
      cause: expect.stringMatching(v1Cause('The conditional request failed', 'ConditionalCheckFailedException')),
    });
  });

  it('getItem, updateItem and deleteItem return what DynamoDB returns', async () => {
    const key = { IncidentId: { S: 'i-1' } };
    await expect(
      call('arn:aws:states:::dynamodb:getItem', { TableName: 'IncidentsTable', Key: key }),
    ).resolves.toMatchObject({
      ok: true,
      output: { Item: item },
    });
    await expect(
      call('arn:aws:states:::dynamodb:updateItem', {
        TableName: 'IncidentsTable',
        Key: key,
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'Status' },
        ExpressionAttributeValues: { ':s': { S: 'RESOLVED' } },
        ReturnValues: 'ALL_NEW',
      }),
    ).resolves.toMatchObject({
      ok: true,
      output: { Attributes: { IncidentId: { S: 'i-1' }, Status: { S: 'RESOLVED' } } },
    });
    await expect(
      call('arn:aws:states:::dynamodb:deleteItem', { TableName: 'IncidentsTable', Key: key, ReturnValues: 'ALL_OLD' }),
    ).resolves.toMatchObject({
      ok: true,
      output: { Attributes: { Status: { S: 'RESOLVED' } } },
    });
    const gone = await call('arn:aws:states:::dynamodb:getItem', { TableName: 'IncidentsTable', Key: key });
    expect((gone as { output: object }).output).not.toHaveProperty('Item');
  });

  it('an unknown table is DynamoDB.ResourceNotFoundException; an unmodeled error is DynamoDB.AmazonDynamoDBException', async () => {
    await expect(
      call('arn:aws:states:::dynamodb:getItem', { TableName: 'NoSuchTable', Key: { IncidentId: { S: 'x' } } }),
    ).resolves.toMatchObject({
      ok: false,
      error: 'DynamoDB.ResourceNotFoundException',
      cause: expect.stringContaining('Error Code: ResourceNotFoundException'),
    });
    await expect(
      call('arn:aws:states:::dynamodb:updateItem', {
        TableName: 'IncidentsTable',
        Key: { IncidentId: { S: 'x' } },
        UpdateExpression: 'SET',
      }),
    ).resolves.toMatchObject({
      ok: false,
      error: 'DynamoDB.AmazonDynamoDBException',
      cause: expect.stringContaining('Error Code: ValidationException'),
    });
  });

  it('refuses parameters the optimized integration does not have, naming them', async () => {
    await expect(
      call('arn:aws:states:::dynamodb:getItem', { TableName: 'IncidentsTable', Key: {}, Limit: 1 }),
    ).resolves.toEqual({
      ok: false,
      error: 'States.Runtime',
      cause:
        "The parameters of 'arn:aws:states:::dynamodb:getItem' are invalid: the field(s) 'Limit' are not supported",
    });
  });

  it('a service that cannot be reached is an SdkClientException', async () => {
    const unreachable = new LocalIntegrations({
      lambda: new FakeLambda(),
      endpoints: { dynamodb: `http://127.0.0.1:${await freePort()}`, ses: ses.endpoint, sfn: () => '' },
      region: 'us-east-1',
      now: () => Date.now(),
    });
    const outcome = await unreachable
      .invoke({
        resource: 'arn:aws:states:::dynamodb:getItem',
        parameters: { TableName: 'T', Key: {} },
      } as unknown as TaskRequest)
      .finally(() => unreachable.close());
    expect(outcome).toMatchObject({
      ok: false,
      error: 'DynamoDB.SdkClientException',
      cause: expect.stringContaining('Unable to execute HTTP request'),
    });
  });
});

describe('AWS SDK integrations (arn:aws:states:::aws-sdk:*)', () => {
  it('dynamodb: the API response only (no SdkHttpMetadata)', async () => {
    await call('arn:aws:states:::aws-sdk:dynamodb:putItem', {
      TableName: 'IncidentsTable',
      Item: { IncidentId: { S: 'q-1' } },
    });
    const outcome = await call('arn:aws:states:::aws-sdk:dynamodb:query', {
      TableName: 'IncidentsTable',
      KeyConditionExpression: 'IncidentId = :id',
      ExpressionAttributeValues: { ':id': { S: 'q-1' } },
    });
    expect(outcome).toEqual({ ok: true, output: { Count: 1, Items: [{ IncidentId: { S: 'q-1' } }], ScannedCount: 1 } });
  });

  it('dynamodb errors use the Java SDK v2 names: DynamoDb.<Name>Exception, generic DynamoDb.DynamoDbException', async () => {
    await expect(
      call('arn:aws:states:::aws-sdk:dynamodb:putItem', {
        TableName: 'IncidentsTable',
        Item: { IncidentId: { S: 'q-1' } },
        ConditionExpression: 'attribute_not_exists(IncidentId)',
      }),
    ).resolves.toEqual({
      ok: false,
      error: 'DynamoDb.ConditionalCheckFailedException',
      cause: expect.stringMatching(
        /^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: [^)]*\)$/,
      ),
    });
    await expect(
      call('arn:aws:states:::aws-sdk:dynamodb:query', { TableName: 'IncidentsTable' }),
    ).resolves.toMatchObject({
      ok: false,
      error: 'DynamoDb.DynamoDbException',
    });
  });

  it('sesv2:sendEmail sends through the SES capture and answers {MessageId}', async () => {
    const outcome = await call('arn:aws:states:::aws-sdk:sesv2:sendEmail', {
      FromEmailAddress: 'noreply@example.edu',
      Destination: { ToAddresses: ['student@example.edu'] },
      Content: { Simple: { Subject: { Data: 'Your exam' }, Body: { Text: { Data: 'Take it here' } } } },
    });
    expect(outcome).toEqual({ ok: true, output: { MessageId: expect.any(String) } });
    const emails = await capturedEmails(ses.endpoint);
    expect(emails).toContainEqual(
      expect.objectContaining({
        subject: 'Your exam',
        destination: expect.objectContaining({ to: ['student@example.edu'] }),
      }),
    );
  });

  it('ses:sendEmail (SES v1) too', async () => {
    const outcome = await call('arn:aws:states:::aws-sdk:ses:sendEmail', {
      Source: 'noreply@example.edu',
      Destination: { ToAddresses: ['admin@example.edu'] },
      Message: { Subject: { Data: 'Action required' }, Body: { Text: { Data: 'See the incident' } } },
    });
    expect(outcome).toEqual({ ok: true, output: { MessageId: expect.any(String) } });
  });

  it('an action the service does not have, or a service the local cloud does not have, fails with States.Runtime', async () => {
    await expect(call('arn:aws:states:::aws-sdk:dynamodb:fly', {})).resolves.toMatchObject({
      ok: false,
      error: 'States.Runtime',
      cause: "The action 'fly' is not an API action of the service 'dynamodb' (aws-sdk:dynamodb:fly)",
    });
    await expect(call('arn:aws:states:::aws-sdk:s3:getObject', {})).resolves.toMatchObject({
      ok: false,
      error: 'States.Runtime',
      cause: expect.stringContaining(
        "The resource 'arn:aws:states:::aws-sdk:s3:getObject' is not supported by the local Step Functions runtime",
      ),
    });
  });
});
