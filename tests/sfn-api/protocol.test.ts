/** The wire itself (AWS JSON 1.0), the operations we do not serve, and the local-only endpoints. */
import fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import { CreateStateMachineCommand, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { callbackMachine, passMachine } from './definitions';
import { newDataDir, roleArn, startHarness, stopHarness, waitForEnd, type Harness } from './harness';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(() => stopHarness(harness));

const post = (operation: string | undefined, body: string, headers: Record<string, string> = {}) =>
  fetch(harness.server.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      ...(operation ? { 'X-Amz-Target': `AWSStepFunctions.${operation}` } : {}),
      ...headers,
    },
    body,
  });

describe('AWS JSON 1.0', () => {
  it('answers 200 with the JSON content type and a request id', async () => {
    const response = await post('ListStateMachines', '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ stateMachines: [] });
  });

  it('answers errors with __type, message and the x-amzn-ErrorType header', async () => {
    const response = await post(
      'DescribeStateMachine',
      JSON.stringify({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('StateMachineDoesNotExist');
    expect(await response.json()).toEqual({
      __type: 'StateMachineDoesNotExist',
      message: "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope'",
    });
  });

  it('writes timestamps as epoch seconds with fractional milliseconds', async () => {
    const response = await post(
      'CreateStateMachine',
      JSON.stringify({ name: 'Clocked', definition: passMachine, roleArn }),
    );
    const { creationDate } = (await response.json()) as { creationDate: unknown };
    expect(typeof creationDate).toBe('number');
    expect(Math.abs((creationDate as number) * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('says what is wrong with a body that is not a JSON object, a member of the wrong type, or a missing member', async () => {
    expect(await (await post('ListStateMachines', '{nope')).json()).toMatchObject({
      __type: 'SerializationException',
      message: expect.stringContaining('not JSON'),
    });
    expect(await (await post('ListStateMachines', '[1]')).json()).toEqual({
      __type: 'SerializationException',
      message: 'The request body must be a JSON object',
    });
    expect(await (await post('ListStateMachines', '{"maxResults":"ten"}')).json()).toEqual({
      __type: 'SerializationException',
      message: "Unexpected value type at 'maxResults': expected integer",
    });
    expect(await (await post('StartExecution', '{}')).json()).toEqual({
      __type: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    });
    expect(await (await post('CreateStateMachine', '{"name":"x"}')).json()).toMatchObject({
      __type: 'ValidationException',
      message: expect.stringMatching(
        /^2 validation errors detected: Value null at 'definition' .*; Value null at 'roleArn' /,
      ),
    });
  });

  it("accepts this machine's names as Host, with the SDK's sync- prefix, and refuses any other (DNS rebinding)", async () => {
    // node:http, since fetch does not send the Host header it is given.
    const listWithHost = (host: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const request = httpRequest(
          harness.server.url,
          {
            method: 'POST',
            headers: {
              Host: host,
              'Content-Type': 'application/x-amz-json-1.0',
              'X-Amz-Target': 'AWSStepFunctions.ListStateMachines',
            },
          },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
          },
        );
        request.on('error', reject);
        request.end('{}');
      });
    for (const host of ['localhost:8083', '127.0.0.1:8083', '[::1]:8083', 'sync-localhost:8083', 'LOCALHOST'])
      expect([host, (await listWithHost(host)).status]).toEqual([host, 200]);
    const refused = await listWithHost('evil.example:8083');
    expect(refused.status).toBe(403);
    expect(refused.headers['x-amzn-errortype']).toBe('HostNotAllowed');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(refused.body)).toMatchObject({
      error: 'HostNotAllowed',
      message: expect.stringContaining('evil.example'),
    });
  });

  // Every operation of the service model is served: tests/sfn-api/all-operations.api.test.ts calls each.
  it('refuses unknown targets', async () => {
    expect(await (await post('Fly', '{}')).json()).toEqual({
      __type: 'UnknownOperationException',
      message: "Unknown operation: 'Fly'",
    });
    expect((await post(undefined, '{}')).status).toBe(400);
  });

  it('the SDK reaches StartSyncExecution with disableHostPrefix', async () => {
    const { stateMachineArn } = await harness.client.send(
      new CreateStateMachineCommand({ name: 'Sync', definition: passMachine, roleArn, type: 'EXPRESS' }),
    );
    await expect(
      harness.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"name":"x"}' })),
    ).resolves.toMatchObject({
      status: 'SUCCEEDED',
    });
  });
});

describe('/_local/ endpoints', () => {
  const get = async (path: string) => {
    const response = await fetch(`${harness.server.url}${path}`);
    return {
      status: response.status,
      cors: response.headers.get('access-control-allow-origin'),
      body: (await response.json()) as any,
    };
  };

  it('lists every execution, EXPRESS included, and gives any execution its history', async () => {
    const express = await harness.client.send(
      new CreateStateMachineCommand({ name: 'Express', definition: passMachine, roleArn, type: 'EXPRESS' }),
    );
    const standard = await harness.client.send(
      new CreateStateMachineCommand({ name: 'Standard', definition: passMachine, roleArn }),
    );
    const sync = await harness.client.send(
      new StartSyncExecutionCommand({ stateMachineArn: express.stateMachineArn, input: '{"name":"E"}' }),
    );
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn: standard.stateMachineArn, input: '{"name":"S"}' }),
    );
    await waitForEnd(harness.client, executionArn!);

    const list = await get('/_local/executions');
    expect(list.status).toBe(200);
    expect(list.cors).toBeNull(); // the dashboards read it on their own origin, through the API port
    expect(
      list.body.executions.map((execution: { type: string; status: string }) => [execution.type, execution.status]),
    ).toEqual([
      ['STANDARD', 'SUCCEEDED'],
      ['EXPRESS', 'SUCCEEDED'],
    ]);
    const filtered = await get(`/_local/executions?stateMachineArn=${encodeURIComponent(express.stateMachineArn!)}`);
    expect(filtered.body.executions).toHaveLength(1);

    const detail = await get(`/_local/executions/${encodeURIComponent(sync.executionArn!)}`);
    expect(detail.body.execution).toMatchObject({
      executionArn: sync.executionArn,
      type: 'EXPRESS',
      status: 'SUCCEEDED',
      stateMachineName: 'Express',
    });
    expect(JSON.parse(detail.body.execution.output)).toEqual({ greeting: 'Hello, E' });
    expect(detail.body.definition).toBe(passMachine);
    expect(detail.body.events.map((event: { type: string }) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(typeof detail.body.events[0].timestamp).toBe('number');

    const machines = await get('/_local/state-machines');
    expect(machines.body.stateMachines.map((machine: { name: string }) => machine.name)).toEqual([
      'Express',
      'Standard',
    ]);
  });

  it('says what is wrong with a bad path or clock request', async () => {
    expect(
      await get('/_local/executions/arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3Aexecution%3AX%3Ay'),
    ).toMatchObject({
      status: 404,
      body: { error: 'ExecutionDoesNotExist' },
    });
    expect(await get('/_local/nothing')).toMatchObject({ status: 404, body: { error: 'NotFound' } });
    const bad = await fetch(`${harness.server.url}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"advanceSeconds":"soon"}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'ValidationError',
      message: 'advanceSeconds must be a number of seconds, 0 or more',
    });
  });

  it('refuses to move the clock past the last date there is, and leaves it where it was', async () => {
    const before = await get('/_local/clock');
    for (const advanceSeconds of [1e13, 1e300]) {
      const refused = await fetch(`${harness.server.url}/_local/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds }),
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: 'ValidationError',
        message: 'advanceSeconds would move the clock past +275760-09-13T00:00:00.000Z, the last date there is',
      });
    }
    const after = await get('/_local/clock');
    expect(after.status).toBe(200);
    expect(new Date(after.body.now).getTime() - new Date(before.body.now).getTime()).toBeLessThan(60_000);
  });

  it('answers an oversized clock body in the local error shape', async () => {
    const huge = await fetch(`${harness.server.url}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ' '.repeat(9 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({
      error: 'ValidationException',
      message: expect.stringContaining('larger than'),
    });
  });

  it('keeps the history of a waiting execution visible while it waits', async () => {
    harness.lambda.define('Notify', () => ({}));
    const { stateMachineArn } = await harness.client.send(
      new CreateStateMachineCommand({ name: 'Flow', definition: callbackMachine(), roleArn }),
    );
    const { executionArn } = await harness.client.send(new StartExecutionCommand({ stateMachineArn }));
    const detail = await get(`/_local/executions/${encodeURIComponent(executionArn!)}`);
    expect(detail.body.execution.status).toBe('RUNNING');
    expect(detail.body.events[0].type).toBe('ExecutionStarted');
  });
});

describe('starting', () => {
  it('says which port it cannot listen on', async () => {
    const dataDir = newDataDir();
    await expect(
      startHarness({ port: harness.server.port, dataDir }).finally(() => fs.rmSync(dataDir, { recursive: true })),
    ).rejects.toThrow(
      new RegExp(
        `^The Step Functions API cannot listen on port ${harness.server.port} \\(set SFN_PORT to use another\\): .*EADDRINUSE`,
      ),
    );
  });
});
