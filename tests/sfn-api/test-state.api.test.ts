/**
 * TestState through @aws-sdk/client-sfn, configured as the README says (disableHostPrefix), against one Step
 * Functions API server: a state on its own and one state of a whole definition, an unmocked Task calling the local
 * Lambda integration, mocks with Retry/Catch through stateConfiguration, fieldValidationMode, the request checks of
 * the service model and AWS's refusals; and the `sync-` host prefix the SDK gives TestState without that option.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent } from 'node:http';
import { SFNClient, TestStateCommand } from '@aws-sdk/client-sfn';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { functionArn } from './definitions';
import { FakeLambda } from './fake-lambda';
import { errorOf, parsed, roleArn, startHarness, stopHarness, type Harness } from './harness';

jest.setTimeout(30_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    lambda: new FakeLambda({ Greet: (event) => ({ hello: (event as { name: string }).name }) }),
  });
});

afterAll(() => stopHarness(harness));

const send = (input: ConstructorParameters<typeof TestStateCommand>[0]) =>
  harness.client.send(new TestStateCommand(input));

const lambdaTask = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn('Greet'), 'Payload.$': '$.who' },
  ResultSelector: { 'greeting.$': '$.Payload.hello' },
  ResultPath: '$.result',
  Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
  Next: 'Done',
};

test('a Pass state on its own, with the data flow at DEBUG', async () => {
  const answer = await send({
    definition: JSON.stringify({
      Type: 'Pass',
      InputPath: '$.a',
      Parameters: { 'b.$': '$.b' },
      ResultPath: '$.c',
      Next: 'X',
    }),
    input: JSON.stringify({ a: { b: 1 } }),
    inspectionLevel: 'DEBUG',
  });
  expect(answer.status).toBe('SUCCEEDED');
  expect(answer.nextState).toBe('X');
  expect(parsed(answer.output)).toEqual({ a: { b: 1 }, c: { b: 1 } });
  const data = answer.inspectionData!;
  expect(parsed(data.input)).toEqual({ a: { b: 1 } });
  expect(parsed(data.afterInputPath)).toEqual({ b: 1 });
  expect(parsed(data.afterParameters)).toEqual({ b: 1 });
  expect(parsed(data.afterResultPath)).toEqual({ a: { b: 1 }, c: { b: 1 } });
});

test('an unmocked Task calls the local Lambda integration; INFO gives no inspection data', async () => {
  const answer = await send({
    definition: JSON.stringify(lambdaTask),
    roleArn,
    input: JSON.stringify({ who: { name: 'Ada' } }),
  });
  expect(answer.status).toBe('SUCCEEDED');
  expect(answer.nextState).toBe('Done');
  expect(parsed(answer.output)).toEqual({ who: { name: 'Ada' }, result: { greeting: 'Ada' } });
  expect(answer.inspectionData).toBeUndefined();
  expect(harness.lambda.calls.at(-1)).toEqual({ functionName: functionArn('Greet'), event: { name: 'Ada' } });
});

test('a mocked error is RETRIABLE while the retrier has attempts left, then CAUGHT_ERROR', async () => {
  const mock = { errorOutput: { error: 'Lambda.TooManyRequestsException', cause: 'slow down' } };
  const calls = harness.lambda.calls.length;
  const retriable = await send({
    definition: JSON.stringify(lambdaTask),
    input: '{"who":{"name":"Ada"}}',
    inspectionLevel: 'DEBUG',
    mock,
    stateConfiguration: { retrierRetryCount: 1 },
  });
  expect(retriable).toMatchObject({
    status: 'RETRIABLE',
    error: 'Lambda.TooManyRequestsException',
    cause: 'slow down',
  });
  expect(retriable.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 6 });
  const caught = await send({
    definition: JSON.stringify(lambdaTask),
    input: '{"who":{"name":"Ada"}}',
    inspectionLevel: 'TRACE',
    mock,
    stateConfiguration: { retrierRetryCount: 2 },
  });
  expect(caught).toMatchObject({
    status: 'CAUGHT_ERROR',
    nextState: 'Failed',
    error: 'Lambda.TooManyRequestsException',
  });
  expect(parsed(caught.output)).toEqual({
    who: { name: 'Ada' },
    error: { Error: 'Lambda.TooManyRequestsException', Cause: 'slow down' },
  });
  expect(caught.inspectionData?.errorDetails).toEqual({ retryIndex: 0, catchIndex: 0 });
  expect(harness.lambda.calls).toHaveLength(calls);
});

test('one state of a whole definition (stateName), and a state it does not have', async () => {
  const definition = JSON.stringify({
    StartAt: 'Greet',
    States: { Greet: lambdaTask, Done: { Type: 'Succeed' }, Failed: { Type: 'Fail' } },
  });
  const answer = await send({
    definition,
    stateName: 'Greet',
    input: '{"who":{"name":"Ada"}}',
    mock: { result: JSON.stringify({ Payload: { hello: 'mocked' }, StatusCode: 200 }) },
  });
  expect(answer).toMatchObject({ status: 'SUCCEEDED', nextState: 'Done' });
  expect(parsed(answer.output)).toEqual({ who: { name: 'Ada' }, result: { greeting: 'mocked' } });
  const missing = await errorOf(send({ definition, stateName: 'Nope' }));
  expect(missing).toMatchObject({ name: 'ValidationException', message: 'State not found in definition' });
});

test("AWS's refusals: no role for an unmocked Task, a mock on a Pass state, a mocked result of the wrong shape", async () => {
  const noRole = await errorOf(send({ definition: JSON.stringify(lambdaTask), input: '{}' }));
  expect(noRole).toMatchObject({
    name: 'ValidationException',
    message: 'RoleArn must be specified when testing a Task state',
  });
  expect(noRole.$metadata.httpStatusCode).toBe(400);
  const passMock = await errorOf(send({ definition: '{"Type":"Pass","End":true}', mock: { result: '{}' } }));
  expect(passMock.message).toBe("State type 'Pass' is not supported when a mock is specified");
  const strict = await errorOf(
    send({ definition: JSON.stringify(lambdaTask), mock: { result: '{"StatusCode":"200"}' } }),
  );
  expect(strict.message).toBe("Mock result schema validation error: Field 'StatusCode' must be a number");
  const unchecked = await send({
    definition: JSON.stringify(lambdaTask),
    input: '{"who":{}}',
    mock: { result: '{"StatusCode":"200","Payload":{"hello":"x"}}', fieldValidationMode: 'NONE' },
  });
  expect(unchecked.status).toBe('SUCCEEDED');
});

test('the service model bounds the request (1 validation error detected)', async () => {
  const error = await errorOf(send({ definition: '{"Type":"Pass","End":true}', inspectionLevel: 'LOUD' as never }));
  expect(error.name).toBe('ValidationException');
  expect(error.message).toContain('1 validation error detected');
  expect(error.message).toContain('inspectionLevel');
});

test('without disableHostPrefix the SDK sends TestState to sync-<host>, and the API answers there too', async () => {
  // sync-localhost resolves nowhere by default: this client's agent resolves it to this machine, as an
  // /etc/hosts line would.
  const agent = new Agent({
    lookup: (_host: string, options: object, callback: (...args: never[]) => void) =>
      dnsLookup(
        '127.0.0.1',
        options,
        callback as (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
      ),
  });
  const hosts: string[] = [];
  const client = new SFNClient({
    endpoint: harness.server.url.replace('127.0.0.1', 'localhost'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      hosts.push((args.request as { hostname: string }).hostname);
      return next(args);
    },
    { step: 'finalizeRequest' },
  );
  try {
    const answer = await client.send(new TestStateCommand({ definition: '{"Type":"Succeed"}', input: '{"x":1}' }));
    expect(answer.status).toBe('SUCCEEDED');
    expect(hosts).toEqual(['sync-localhost']);
  } finally {
    client.destroy();
    agent.destroy();
  }
});
