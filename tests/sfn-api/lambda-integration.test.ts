import { LambdaIntegration } from '../../local/sfn-api/integrations/lambda';
import { FakeLambda, namedError } from './fake-lambda';

const arn = (id: string) => `arn:aws:lambda:us-east-1:123456789012:function:${id}`;
const now = () => Date.UTC(2026, 0, 1);

function integration() {
  const lambda = new FakeLambda({
    Echo: (event) => ({ echoed: event }),
    Refuse: () => {
      throw namedError('RoomUnavailable', 'No STANDARD room is free for every night');
    },
    Crash: () => {
      throw Object.assign(new Error('out of memory'), { name: '' });
    },
  });
  return { lambda, integration: new LambdaIntegration(lambda, now) };
}

describe('arn:aws:states:::lambda:invoke', () => {
  it("wraps the payload in Lambda's Invoke response as Step Functions shapes it", async () => {
    const { integration: lambdaInvoke, lambda } = integration();
    const outcome = await lambdaInvoke.invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: arn('Echo'),
      Payload: { a: 1 },
    });
    expect(lambda.calls).toEqual([{ functionName: arn('Echo'), event: { a: 1 } }]);
    expect(outcome).toEqual({
      ok: true,
      output: {
        ExecutedVersion: '$LATEST',
        Payload: { echoed: { a: 1 } },
        SdkHttpMetadata: {
          AllHttpHeaders: expect.objectContaining({
            'X-Amz-Executed-Version': ['$LATEST'],
            'Content-Type': ['application/json'],
          }),
          HttpHeaders: expect.objectContaining({
            'X-Amz-Executed-Version': '$LATEST',
            'Content-Length': String(JSON.stringify({ echoed: { a: 1 } }).length),
            Date: new Date(now()).toUTCString(),
          }),
          HttpStatusCode: 200,
        },
        SdkResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        StatusCode: 200,
      },
    });
    const { SdkHttpMetadata, SdkResponseMetadata } = (outcome as { output: Record<string, any> }).output;
    expect(SdkHttpMetadata.HttpHeaders['x-amzn-RequestId']).toBe(SdkResponseMetadata.RequestId);
  });

  it('sends {} when Payload is left out, and adds the log tail for LogType Tail', async () => {
    const { integration: lambdaInvoke, lambda } = integration();
    const outcome = await lambdaInvoke.invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: 'Echo',
      LogType: 'Tail',
    });
    expect(lambda.calls[0].event).toEqual({});
    const logResult = (outcome as { output: { LogResult: string } }).output.LogResult;
    expect(Buffer.from(logResult, 'base64').toString()).toBe('START Echo\nEND Echo\n');
  });

  it('names a function error by its errorType, with the error payload as the cause', async () => {
    const outcome = await integration().integration.invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: arn('Refuse'),
      Payload: {},
    });
    expect(outcome).toMatchObject({ ok: false, error: 'RoomUnavailable' });
    const cause = JSON.parse((outcome as { cause: string }).cause);
    expect(cause).toEqual({
      errorType: 'RoomUnavailable',
      errorMessage: 'No STANDARD room is free for every night',
      trace: expect.any(Array),
    });
  });

  it('calls a function error without errorType Lambda.Unknown', async () => {
    const outcome = await integration().integration.invoke('arn:aws:states:::lambda:invoke', { FunctionName: 'Crash' });
    expect(outcome).toMatchObject({ ok: false, error: 'Lambda.Unknown' });
  });

  it("reports an unknown function as Lambda's ResourceNotFoundException, in the Java SDK's cause format", async () => {
    const outcome = await integration().integration.invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: arn('Nope'),
    });
    expect(outcome).toEqual({
      ok: false,
      error: 'Lambda.ResourceNotFoundException',
      cause: expect.stringMatching(
        /^Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
      ),
    });
  });

  it('answers an Event invocation with 202 without waiting for the function', async () => {
    const { integration: lambdaInvoke, lambda } = integration();
    const outcome = await lambdaInvoke.invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: 'Echo',
      InvocationType: 'Event',
      Payload: { x: 1 },
    });
    expect(outcome).toMatchObject({ ok: true, output: { StatusCode: 202, Payload: '' } });
    expect(lambda.calls).toHaveLength(1);
  });

  it('fails with States.Runtime naming the field for parameters Step Functions does not support', async () => {
    const outcome = await integration().integration.invoke('arn:aws:states:::lambda:invoke', {
      FunctionName: 'Echo',
      Body: {},
    });
    expect(outcome).toEqual({
      ok: false,
      error: 'States.Runtime',
      cause: "The parameters of 'arn:aws:states:::lambda:invoke' are invalid: the field(s) 'Body' are not supported",
    });
    const missing = await integration().integration.invoke('arn:aws:states:::lambda:invoke', { Payload: {} });
    expect(missing).toMatchObject({
      ok: false,
      error: 'States.Runtime',
      cause: expect.stringContaining("'FunctionName' are required"),
    });
  });
});

describe('a Lambda function ARN as Resource (legacy)', () => {
  it('gives the function its parameters as the event and the payload as the result', async () => {
    const { integration: lambdaInvoke, lambda } = integration();
    await expect(lambdaInvoke.invokeFunctionArn(arn('Echo'), { a: 1 })).resolves.toEqual({
      ok: true,
      output: { echoed: { a: 1 } },
    });
    expect(lambda.calls).toEqual([{ functionName: arn('Echo'), event: { a: 1 } }]);
  });

  it('names function errors the same way', async () => {
    await expect(integration().integration.invokeFunctionArn(arn('Refuse'), {})).resolves.toMatchObject({
      ok: false,
      error: 'RoomUnavailable',
    });
  });
});
