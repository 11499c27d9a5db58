/**
 * Local-only Lambda fault injection: the runner fails the next N invocations of a function as the Lambda service
 * would, before its code runs or after it ran (its answer lost), and the Step Functions API server arms faults
 * through POST /_local/faults. The same endpoint fails the API's own operations the same two ways (a 5xx before the
 * call is carried out, or after it, its answer lost).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LambdaRunner, LambdaServiceError } from '../../local/lambda-runner';
import { LambdaIntegration } from '../../local/sfn-api/integrations/lambda';
import { startSfnApiServer, type SfnApiServer } from '../../local/sfn-api/server';
import { loadTemplate } from '../../local/template/load';

const fixtures = path.join(__dirname, 'fixtures', 'runner');

let runner: LambdaRunner;
let server: SfnApiServer;
let dataDir: string;

const fixtureRunnerOptions = () => ({
  template: loadTemplate(path.join(fixtures, 'template.yaml')),
  codeRoot: path.join(fixtures, 'functions'),
  parameterOverrides: { TestingCentreUrl: 'http://localhost:3000/testcentre/' },
});

beforeAll(async () => {
  runner = new LambdaRunner(fixtureRunnerOptions());
  dataDir = await mkdtemp(path.join(tmpdir(), 'lambda-faults-'));
  server = await startSfnApiServer({
    port: 0,
    region: 'us-east-1',
    dataDir,
    lambda: runner,
    endpoints: { dynamodb: 'http://127.0.0.1:1', ses: 'http://127.0.0.1:1' },
    faults: runner.faults,
    warn: () => undefined,
  });
});

afterAll(async () => {
  await server.close();
  runner.close();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  runner.faults.clear();
  await faults('DELETE');
});

const invocationsOf = async () =>
  ((await runner.invoke('EchoFunction', {})).payload as { invocations: number }).invocations;

const failureOf = (invocation: Promise<unknown>) =>
  invocation.then(
    () => undefined,
    (error: unknown) => error,
  );

function faults(method: string, body?: unknown) {
  return fetch(`${server.url}/_local/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('LambdaRunner faults', () => {
  it('fails the next N invocations like the Invoke API, without running the code, then runs it again', async () => {
    const before = await invocationsOf();
    runner.faults.inject({ function: 'EchoFunction', error: 'Lambda.TooManyRequestsException', count: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const failure = await failureOf(runner.invoke('EchoFunction', {}));
      expect(failure).toBeInstanceOf(LambdaServiceError);
      expect(failure).toMatchObject({ name: 'TooManyRequestsException', statusCode: 429 });
    }
    expect(await invocationsOf()).toBe(before + 1);
    expect(runner.faults.list()).toEqual([]);
  });

  it('"after" runs the code of each of the next N invocations once, keeps its effects and gives the caller the Lambda error in place of its answer', async () => {
    const lines: string[] = [];
    // A runner of its own, whose function logs this test reads.
    const logged = new LambdaRunner({
      ...fixtureRunnerOptions(),
      onLog: (functionName, line) => lines.push(`${functionName} ${line}`),
    });
    try {
      logged.faults.inject({ function: 'EchoFunction', error: 'Lambda.ServiceException', count: 2, when: 'after' });
      for (const attempt of [1, 2]) {
        const failure = await failureOf(logged.invoke('EchoFunction', { attempt }));
        expect(failure).toBeInstanceOf(LambdaServiceError);
        expect(failure).toMatchObject({
          name: 'ServiceException',
          statusCode: 500,
          message: 'The Lambda service encountered an internal error.',
        });
        // The code ran, once, with this invocation's event: its effects (a log line, its count) happened.
        const echoes = lines.filter((line) => line.startsWith('EchoFunction ') && line.includes('echo {'));
        expect(echoes).toHaveLength(attempt);
        expect(echoes[attempt - 1]).toContain(`echo {"attempt":${attempt}}`);
      }
      expect(logged.faults.list()).toEqual([]);
      const answered = await logged.invoke('EchoFunction', { attempt: 3 });
      expect(answered.payload).toMatchObject({ event: { attempt: 3 }, invocations: 3 });
    } finally {
      logged.close();
    }
  });

  it('is named by any name Invoke accepts, and Step Functions sees it as the Lambda.<Code> error AWS recommends retrying', async () => {
    runner.faults.inject({
      function: 'arn:aws:lambda:us-east-1:123456789012:function:EchoFunction:$LATEST',
      error: 'Lambda.ServiceException',
      count: 1,
    });
    expect(runner.faults.list()).toEqual([
      { function: 'EchoFunction', error: 'Lambda.ServiceException', when: 'before', remaining: 1 },
    ]);
    const outcome = await new LambdaIntegration(runner, Date.now).invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: 'EchoFunction',
      Payload: {},
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'Lambda.ServiceException',
      cause: expect.stringContaining('Status Code: 500'),
    });
  });

  it('an "after" fault reaches Step Functions as the same Lambda.<Code> error, once the code ran', async () => {
    const before = await invocationsOf();
    runner.faults.inject({
      function: 'EchoFunction',
      error: 'Lambda.TooManyRequestsException',
      count: 1,
      when: 'after',
    });
    const outcome = await new LambdaIntegration(runner, Date.now).invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: 'EchoFunction',
      Payload: {},
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'Lambda.TooManyRequestsException',
      cause: expect.stringContaining('Status Code: 429'),
    });
    expect(await invocationsOf()).toBe(before + 2);
  });
});

describe('POST /_local/faults', () => {
  it('arms, lists and disarms faults, before the code runs by default or after it with "when"', async () => {
    const armed = await faults('POST', { function: 'EchoFunction', error: 'Lambda.SdkClientException', count: 3 });
    expect(armed.status).toBe(200);
    expect(await armed.json()).toEqual({
      fault: { function: 'EchoFunction', error: 'Lambda.SdkClientException', when: 'before', remaining: 3 },
    });
    const after = await faults('POST', {
      function: 'ThrowFunction',
      error: 'Lambda.ServiceException',
      count: 1,
      when: 'after',
    });
    expect(await after.json()).toEqual({
      fault: { function: 'ThrowFunction', error: 'Lambda.ServiceException', when: 'after', remaining: 1 },
    });
    expect(await (await faults('GET')).json()).toEqual({
      faults: [
        { function: 'EchoFunction', error: 'Lambda.SdkClientException', when: 'before', remaining: 3 },
        { function: 'ThrowFunction', error: 'Lambda.ServiceException', when: 'after', remaining: 1 },
      ],
    });
    expect(await (await faults('DELETE')).json()).toEqual({ faults: [] });
    expect(runner.faults.list()).toEqual([]);
  });

  it.each([
    ['not JSON', '{"function":'],
    ['not an object', [1]],
    ['an unknown function', { function: 'NoSuchFunction', error: 'Lambda.ServiceException', count: 1 }],
    ['an error Lambda does not answer', { function: 'EchoFunction', error: 'Lambda.Unknown', count: 1 }],
    ['a prototype key as the error', { function: 'EchoFunction', error: '__proto__', count: 1 }],
    ['no count', { function: 'EchoFunction', error: 'Lambda.ServiceException' }],
    ['a fractional count', { function: 'EchoFunction', error: 'Lambda.ServiceException', count: 0.5 }],
    ['a huge count', { function: 'EchoFunction', error: 'Lambda.ServiceException', count: 1e9 }],
    ['an unknown timing', { function: 'EchoFunction', error: 'Lambda.ServiceException', count: 1, when: 'during' }],
    ['a boolean timing', { function: 'EchoFunction', error: 'Lambda.ServiceException', count: 1, when: true }],
  ])('refuses %s with a named 400 and arms nothing', async (_, body) => {
    const answer = await faults('POST', body);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: 'ValidationError', message: expect.any(String) });
    expect(runner.faults.list()).toEqual([]);
  });

  it('answers another method 405', async () => {
    const answer = await faults('PUT', {});
    expect(answer.status).toBe(405);
    expect(await answer.json()).toMatchObject({ error: 'MethodNotAllowed' });
  });
});

describe("POST /_local/faults for the Step Functions API's own operations", () => {
  /** One attempt per call, so each call meets the fault itself rather than the SDK's retry of it. */
  const client = () =>
    new SFNClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  const names = async (sfn: SFNClient) =>
    ((await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []).map((machine) => machine.name);
  const definition = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
  const roleArn = 'arn:aws:iam::123456789012:role/local';

  it('"before": the next N calls answer the 5xx and change nothing, then the operation works again', async () => {
    const sfn = client();
    const armed = await faults('POST', { operation: 'CreateStateMachine', error: 'ServiceUnavailable', count: 2 });
    expect(await armed.json()).toEqual({
      fault: { operation: 'CreateStateMachine', error: 'ServiceUnavailable', when: 'before', remaining: 2 },
    });
    for (let call = 0; call < 2; call++) {
      await expect(
        sfn.send(new CreateStateMachineCommand({ name: 'Refused', definition, roleArn })),
      ).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    }
    expect(await names(sfn)).not.toContain('Refused');
    expect(await (await faults('GET')).json()).toEqual({ faults: [] });
    await sfn.send(new CreateStateMachineCommand({ name: 'Refused', definition, roleArn }));
    expect(await names(sfn)).toContain('Refused');
  });

  it('"after": the call is carried out and only its answer is lost', async () => {
    const sfn = client();
    await faults('POST', { operation: 'CreateStateMachine', error: 'InternalFailure', count: 1, when: 'after' });
    await expect(
      sfn.send(new CreateStateMachineCommand({ name: 'AnswerLost', definition, roleArn })),
    ).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(await names(sfn)).toContain('AnswerLost');
  });

  it("lists them after the functions' faults, and DELETE disarms both kinds", async () => {
    await faults('POST', { function: 'EchoFunction', error: 'Lambda.ServiceException', count: 1 });
    await faults('POST', { operation: 'SendTaskSuccess', error: 'ServiceUnavailable', count: 3, when: 'after' });
    expect(await (await faults('GET')).json()).toEqual({
      faults: [
        { function: 'EchoFunction', error: 'Lambda.ServiceException', when: 'before', remaining: 1 },
        { operation: 'SendTaskSuccess', error: 'ServiceUnavailable', when: 'after', remaining: 3 },
      ],
    });
    expect(await (await faults('DELETE')).json()).toEqual({ faults: [] });
    expect(await (await faults('GET')).json()).toEqual({ faults: [] });
  });

  it.each([
    ['an operation the API does not serve', { operation: 'DeleteEverything', error: 'ServiceUnavailable', count: 1 }],
    ['a prototype key as the operation', { operation: '__proto__', error: 'ServiceUnavailable', count: 1 }],
    ['an error the service does not answer', { operation: 'SendTaskSuccess', error: 'TaskTimedOut', count: 1 }],
    ['no count', { operation: 'SendTaskSuccess', error: 'InternalFailure' }],
    ['an unknown timing', { operation: 'SendTaskSuccess', error: 'InternalFailure', count: 1, when: 'during' }],
  ])('refuses %s with a named 400 and arms nothing', async (_, body) => {
    const answer = await faults('POST', body);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: 'ValidationError', message: expect.any(String) });
    expect(await (await faults('GET')).json()).toEqual({ faults: [] });
  });
});
