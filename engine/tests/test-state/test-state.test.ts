/**
 * The engine's TestState beyond what AWS's recorded answers cover (tests/sfn-api/test-state-conformance): a state
 * nested in a Map processor found by stateName with the query language it inherits, variables in and out, a Wait
 * that does not wait, an unmocked Task through the host's integrations, a Map's items, selector and tolerance, the
 * context object's checks, errorCausedByState, and nothing left running afterwards.
 */
import { Engine, TestStateError, VirtualClock, type TaskRequest, type TestStateRequest } from '../../src';

const clock = new VirtualClock(Date.parse('2030-01-01T00:00:00Z'));
const calls: TaskRequest[] = [];
const engine = new Engine({
  clock,
  integrations: {
    invoke: async (request) => {
      calls.push(request);
      return { ok: true, output: { echoed: request.parameters } };
    },
  },
});

const run = (request: Omit<Partial<TestStateRequest>, 'definition'> & { definition: unknown }) =>
  engine.testState({ ...request, definition: JSON.stringify(request.definition) } as TestStateRequest);

const refusal = async (request: Omit<Partial<TestStateRequest>, 'definition'> & { definition: unknown }) => {
  try {
    await run(request);
  } catch (error) {
    if (error instanceof TestStateError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected TestState to refuse the request');
};

const machine = {
  QueryLanguage: 'JSONata',
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Double',
        States: {
          Double: {
            Type: 'Pass',
            Output: '{% $states.input * $factor %}',
            Assign: { last: '{% $states.input %}' },
            End: true,
          },
        },
      },
      End: true,
    },
  },
};

test('a state inside a Map processor, found by stateName, inherits JSONata; variables go in and come out', async () => {
  const answer = await run({
    definition: machine,
    stateName: 'Double',
    input: '21',
    variables: '{"factor":2}',
    inspectionLevel: 'DEBUG',
  });
  expect(answer).toEqual({
    status: 'SUCCEEDED',
    output: '42',
    inspectionData: { input: '21', variables: '{"factor":2,"last":21}' },
  });
});

test('a Wait state is evaluated but does not wait', async () => {
  const before = clock.now();
  const answer = await run({ definition: { Type: 'Wait', Seconds: 86400, Next: 'Later' }, input: '{"a":1}' });
  expect(answer).toEqual({ status: 'SUCCEEDED', output: '{"a":1}', nextState: 'Later' });
  expect(clock.now()).toBe(before);
  expect(clock.nextTimerAt()).toBeUndefined();
});

test("an unmocked Task goes through the host's integrations", async () => {
  const answer = await run({
    definition: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'x.$': '$.x' }, End: true },
    roleArn: 'arn:aws:iam::123456789012:role/r',
    input: '{"x":7}',
  });
  expect(answer).toEqual({ status: 'SUCCEEDED', output: '{"echoed":{"x":7}}' });
  expect(calls.at(-1)).toMatchObject({ resource: 'arn:aws:states:::lambda:invoke', parameters: { x: 7 } });
});

test('a mocked JSONPath Map: items, selector and settings inspected, failures judged by its tolerance', async () => {
  const map = {
    Type: 'Map',
    ItemsPath: '$.items',
    ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
    MaxConcurrency: 2,
    ToleratedFailurePercentage: 50,
    ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'TooMany' }],
    End: true,
  };
  const tolerated = await run({
    definition: map,
    input: '{"items":["a","b"]}',
    inspectionLevel: 'DEBUG',
    mock: { result: '[1,2]' },
    stateConfiguration: { mapIterationFailureCount: 1 },
  });
  expect(tolerated).toEqual({
    status: 'SUCCEEDED',
    output: '[1,2]',
    inspectionData: {
      input: '{"items":["a","b"]}',
      afterInputPath: '{"items":["a","b"]}',
      afterItemsPath: '["a","b"]',
      afterItemSelector: '[{"value":"a","index":0},{"value":"b","index":1}]',
      afterResultSelector: '[1,2]',
      afterResultPath: '[1,2]',
      maxConcurrency: 2,
      toleratedFailurePercentage: 50,
    },
  });
  const exceeded = await run({
    definition: map,
    input: '{"items":["a","b"]}',
    mock: { result: '[1,2]' },
    stateConfiguration: { mapIterationFailureCount: 2 },
  });
  expect(exceeded).toMatchObject({
    status: 'CAUGHT_ERROR',
    error: 'States.ExceedToleratedFailureThreshold',
    nextState: 'TooMany',
  });
});

test("the context object: members and types checked, given as given, 'Task' only for a callback task", async () => {
  const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'ctx.$': '$$' }, End: true };
  const mock = { result: '{}', fieldValidationMode: 'NONE' as const };
  expect(await refusal({ definition: task, mock, context: '{"State":{"RetryCount":"0"}}' })).toEqual({
    code: 'ValidationException',
    message: 'Invalid Context object provided: State.RetryCount must be a integer',
  });
  expect((await refusal({ definition: task, mock, context: '{"Task":{"Token":"t"}}' })).message).toContain(
    "Context object contains 'Task'",
  );
  const answer = await run({ definition: task, mock, context: '{"Execution":{"Name":"n"}}', inspectionLevel: 'DEBUG' });
  expect(answer.inspectionData?.afterParameters).toBe('{"ctx":{"Execution":{"Name":"n"}}}');
  expect((await refusal({ definition: task, context: '{}', roleArn: 'arn:aws:iam::1:role/r' })).message).toBe(
    'TestState does not support Context when a mock is not specified.',
  );
});

test('errorCausedByState names a state of the mocked Map or Parallel with a mocked error', async () => {
  const parallel = {
    Type: 'Parallel',
    Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
    End: true,
  };
  const error = { errorOutput: { error: 'Boom', cause: 'in A' } };
  expect(await run({ definition: parallel, mock: error, stateConfiguration: { errorCausedByState: 'A' } })).toEqual({
    status: 'FAILED',
    error: 'Boom',
    cause: 'in A',
  });
  expect(
    (await refusal({ definition: parallel, mock: error, stateConfiguration: { errorCausedByState: 'B' } })).message,
  ).toBe("ErrorCausedByState 'B' is not a state of the Parallel state 'StateName'.");
  expect(
    (await refusal({ definition: parallel, mock: { result: '[1]' }, stateConfiguration: { errorCausedByState: 'A' } }))
      .code,
  ).toBe('ValidationException');
});

test('callback, .sync and activity tasks are tested only with a mock, as AWS says', async () => {
  const roleArn = 'arn:aws:iam::123456789012:role/r';
  for (const Resource of [
    'arn:aws:states:::lambda:invoke.waitForTaskToken',
    'arn:aws:states:::states:startExecution.sync:2',
    'arn:aws:states:us-east-1:123456789012:activity:grade',
  ]) {
    expect((await refusal({ definition: { Type: 'Task', Resource, End: true }, roleArn })).code).toBe(
      'ValidationException',
    );
    const mocked = await run({
      definition: { Type: 'Task', Resource, End: true },
      mock: { result: '{"done":true}', fieldValidationMode: 'NONE' },
    });
    expect(mocked).toEqual({ status: 'SUCCEEDED', output: '{"done":true}' });
  }
});

test('bad JSON in the input, the variables or the definition is refused with a named error', async () => {
  const pass = { Type: 'Pass', End: true };
  expect((await refusal({ definition: pass, input: '{' })).code).toBe('InvalidExecutionInput');
  expect((await refusal({ definition: pass, variables: '[1]' })).message).toBe(
    'The variables must be a JSON object literal.',
  );
  await expect(engine.testState({ definition: '{"Type":' })).rejects.toMatchObject({ code: 'InvalidDefinition' });
});

test('a state that awaits a timer is ended with its run: nothing is left waiting', async () => {
  const slow = new Engine({
    clock,
    integrations: {
      invoke: (request) =>
        new Promise((resolve) =>
          request.signal.addEventListener('abort', () => resolve({ ok: false, error: 'Aborted' })),
        ),
    },
  });
  const pending = slow.testState({
    definition: JSON.stringify({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      TimeoutSeconds: 5,
      End: true,
    }),
    roleArn: 'arn:aws:iam::1:role/r',
  });
  await clock.advance(5000);
  expect(await pending).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  expect(clock.nextTimerAt()).toBeUndefined();
});

test('a state that runs longer than five minutes fails with States.Timeout, as AWS says', async () => {
  const hanging = new Engine({ clock, integrations: { invoke: () => new Promise(() => undefined) } });
  const pending = hanging.testState({
    definition: JSON.stringify({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
      End: true,
    }),
    roleArn: 'arn:aws:iam::1:role/r',
  });
  await clock.advance(5 * 60 * 1000);
  expect(await pending).toEqual({ status: 'FAILED', error: 'States.Timeout' });
  expect(clock.nextTimerAt()).toBeUndefined();
});
