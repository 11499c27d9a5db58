/**
 * The local cloud's EventBridge (local/events/rules.ts) and the event it gets from the Step Functions API
 * (local/sfn-api/status-change-events.ts): a STANDARD execution's end is sent as AWS sends "Step Functions Execution
 * Status Change" to the default event bus, and the template's rules hand it to their Lambda targets as EventBridge
 * would (pattern of exact values, InputTransformer, Lambda's retries of an asynchronous invocation).
 */
import {
  CreateStateMachineCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { EventRuleError, LocalEventRules, matches, type EventBridgeEvent } from '../../local/events/rules';
import type { LambdaInvokeResult, LambdaInvoker } from '../../local/lambda-runner/index';
import type { ExecutionStatusChangeEvent } from '../../local/sfn-api/status-change-events';
import { loadTemplate, type Template } from '../../local/template/load';
import { eventually, roleArn, startHarness, stopHarness, type Harness } from '../sfn-api/harness';

const region = 'us-east-1';
const plagiarismArn = `arn:aws:states:${region}:123456789012:stateMachine:PlagiarismStateMachine`;
const adminActionArn = `arn:aws:lambda:${region}:123456789012:function:TakeAdministrativeActionFunction`;

/** A LambdaInvoker that records each invocation and answers from `answers` in turn (then succeeds). */
function recordingLambda(answers: Array<Partial<LambdaInvokeResult> | Error> = []) {
  const calls: Array<{ functionName: string; event: unknown }> = [];
  const lambda: LambdaInvoker = {
    invoke: async (functionName, event) => {
      calls.push({ functionName, event });
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return { statusCode: 200, payload: null, ...answer };
    },
  };
  return { lambda, calls };
}

/** The status change event of an execution of `stateMachineArn` that ended with `status`. */
function statusChange(status: string, stateMachineArn = plagiarismArn, name = 'inc-1'): EventBridgeEvent {
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    version: '0',
    id: 'e-1',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2030-01-01T00:00:00Z',
    region,
    resources: [executionArn],
    detail: { executionArn, stateMachineArn, name, status, startDate: 1, stopDate: 2, input: '{}', output: null },
  } as EventBridgeEvent;
}

/** A template holding only `resources` (intrinsics as the loader reads them). */
const templateOf = (resources: Record<string, unknown>): Template => ({ Resources: resources }) as unknown as Template;

const ruleResource = (properties: Record<string, unknown>) => ({ Type: 'AWS::Events::Rule', Properties: properties });
const fn = { Type: 'AWS::Serverless::Function', Properties: {} };

describe('EventBridge pattern matching (exact values)', () => {
  const pattern = {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { status: ['ABORTED', 'FAILED'], stateMachineArn: [plagiarismArn] },
  };

  test.each([
    ['an ABORTED plagiarism execution', statusChange('ABORTED'), true],
    ['a FAILED one (any value of the list)', statusChange('FAILED'), true],
    ['a SUCCEEDED one', statusChange('SUCCEEDED'), false],
    ['another state machine', statusChange('ABORTED', plagiarismArn.replace('Plagiarism', 'CallCentre')), false],
    ['an event without the field', { source: 'aws.states', 'detail-type': 'x' }, false],
  ])('%s: %s', (_case, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  test('an array in the event matches when any element is listed', () => {
    expect(matches({ resources: ['b'] }, { resources: ['a', 'b'] })).toBe(true);
    expect(matches({ resources: ['c'] }, { resources: ['a', 'b'] })).toBe(false);
  });
});

describe('LocalEventRules', () => {
  const rule = (target: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    templateOf({
      Target: fn,
      Stopped: ruleResource({
        EventPattern: { source: ['aws.states'], detail: { status: ['ABORTED'] } },
        Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Target', 'Arn'] }, ...target }],
        ...extra,
      }),
    });

  test('an InputTransformer puts the mapped values in its template: JSON values unquoted, text inside quotes', async () => {
    const { lambda, calls } = recordingLambda();
    const rules = LocalEventRules.fromTemplate(
      rule({
        InputTransformer: {
          InputPathsMap: { name: '$.detail.name', arn: '$.detail.executionArn', missing: '$.detail.nothing' },
          InputTemplate: '{"IncidentId": <name>, "Said": "stopped <name>", "Arn": <arn>, "Missing": <missing>}',
        },
      }),
      { region },
      lambda,
      () => undefined,
    );

    await rules.publish(statusChange('ABORTED', plagiarismArn, 'inc-"7"'));
    expect(calls).toEqual([
      {
        functionName: `arn:aws:lambda:${region}:123456789012:function:Target`,
        event: {
          IncidentId: 'inc-"7"',
          Said: 'stopped inc-"7"',
          Arn: `${plagiarismArn.replace(':stateMachine:', ':execution:')}:inc-"7"`,
          Missing: null,
        },
      },
    ]);
  });

  test('without Input or a transformer the target gets the event; Input is a constant; InputPath a part', async () => {
    for (const [target, expected] of [
      [{}, statusChange('ABORTED')],
      [{ Input: '{"fixed":true}' }, { fixed: true }],
      [{ InputPath: '$.detail.status' }, 'ABORTED'],
    ] as const) {
      const { lambda, calls } = recordingLambda();
      await LocalEventRules.fromTemplate(rule(target), { region }, lambda, () => undefined).publish(
        statusChange('ABORTED'),
      );
      expect(calls.map((call) => call.event)).toEqual([expected]);
    }
  });

  test('an event no rule matches invokes nothing, and a disabled rule gets nothing', async () => {
    const { lambda, calls } = recordingLambda();
    await LocalEventRules.fromTemplate(rule({}), { region }, lambda, () => undefined).publish(statusChange('FAILED'));
    await LocalEventRules.fromTemplate(rule({}, { State: 'DISABLED' }), { region }, lambda, () => undefined).publish(
      statusChange('ABORTED'),
    );
    expect(calls).toEqual([]);
  });

  test("a target that fails is invoked twice more (Lambda's retries of an asynchronous invocation), then reported", async () => {
    const failed = {
      functionError: 'Unhandled' as const,
      payload: { errorType: 'ServiceUnavailable', errorMessage: 'SES' },
    };
    const { lambda, calls } = recordingLambda([failed, new Error('runner gone'), failed]);
    const reports: string[] = [];
    await LocalEventRules.fromTemplate(rule({}), { region }, lambda, (line) => reports.push(line)).publish(
      statusChange('ABORTED'),
    );
    expect(calls).toHaveLength(3);
    expect(reports).toEqual([
      'EventBridge rule Stopped: target T failed 3 times for Step Functions Execution Status Change (ServiceUnavailable: SES); the event is dropped',
    ]);

    const second = recordingLambda([failed]);
    await LocalEventRules.fromTemplate(rule({}), { region }, second.lambda, (line) => reports.push(line)).publish(
      statusChange('ABORTED'),
    );
    expect(second.calls).toHaveLength(2);
    expect(reports).toHaveLength(1);
  });

  test.each([
    ['a content filter', { EventPattern: { detail: { status: [{ prefix: 'ABO' }] } } }, /content filter/],
    ['a schedule', { ScheduleExpression: 'rate(1 hour)', EventPattern: undefined }, /EventPattern/],
    ['another event bus', { EventBusName: 'mine' }, /default event bus/],
    [
      'a target that is no function',
      { Targets: [{ Id: 'Q', Arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] },
      /not a Lambda function/,
    ],
  ])('refuses a rule with %s when the cloud starts, naming it', (_case, properties, message) => {
    const template = templateOf({
      Target: fn,
      Odd: ruleResource({
        EventPattern: { source: ['aws.states'] },
        Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Target', 'Arn'] } }],
        ...properties,
      }),
    });
    expect(() => LocalEventRules.fromTemplate(template, { region }, recordingLambda().lambda, () => undefined)).toThrow(
      EventRuleError,
    );
    expect(() => LocalEventRules.fromTemplate(template, { region }, recordingLambda().lambda, () => undefined)).toThrow(
      message,
    );
  });

  test("the project's rule: a stopped plagiarism execution, and only that, goes to TakeAdministrativeAction as {IncidentId, Reason: WORKFLOW_STOPPED, ExecutionArn}", async () => {
    const { lambda, calls } = recordingLambda();
    const rules = LocalEventRules.fromTemplate(loadTemplate(), { region }, lambda, () => undefined);
    expect(rules.ruleIds).toEqual(['PlagiarismExecutionStoppedRule']);

    for (const status of ['SUCCEEDED', 'FAILED', 'TIMED_OUT']) await rules.publish(statusChange(status));
    await rules.publish(statusChange('ABORTED', plagiarismArn.replace('Plagiarism', 'CallCentre')));
    expect(calls).toEqual([]);

    const stopped = statusChange('ABORTED');
    await rules.publish(stopped);
    expect(calls).toEqual([
      {
        functionName: adminActionArn,
        event: {
          IncidentId: 'inc-1',
          Reason: 'WORKFLOW_STOPPED',
          ExecutionArn: (stopped as unknown as ExecutionStatusChangeEvent).detail.executionArn,
        },
      },
    ]);
  });
});

describe("the Step Functions API's status change events", () => {
  let harness: Harness;
  const events: ExecutionStatusChangeEvent[] = [];
  beforeAll(async () => {
    harness = await startHarness();
    harness.server.onExecutionStatusChange((event) => events.push(event));
  });
  afterAll(() => stopHarness(harness));

  const definition = JSON.stringify({
    StartAt: 'Wait',
    States: { Wait: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } },
  });
  const create = async (name: string) =>
    (await harness.client.send(new CreateStateMachineCommand({ name, definition, roleArn, type: 'STANDARD' })))
      .stateMachineArn!;

  test('a stopped STANDARD execution sends ABORTED as AWS sends it to the default event bus; EXPRESS ones send nothing', async () => {
    const standard = await create('Standard');
    const { executionArn } = await harness.client.send(
      new StartExecutionCommand({ stateMachineArn: standard, name: 'run-1', input: '{"IncidentId":"run-1"}' }),
    );
    await harness.client.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'by staff' }));
    await eventually(
      'the ABORTED event',
      async () => events.length,
      (count) => count > 0,
    );
    expect(events).toEqual([
      {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'Step Functions Execution Status Change',
        source: 'aws.states',
        account: '123456789012',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        region,
        resources: [executionArn],
        detail: {
          executionArn,
          stateMachineArn: standard,
          name: 'run-1',
          status: 'ABORTED',
          startDate: expect.any(Number),
          stopDate: expect.any(Number),
          input: '{"IncidentId":"run-1"}',
          output: null,
          inputDetails: { included: true },
          outputDetails: null,
        },
      },
    ]);

    // An EXPRESS execution that ends (synchronously: its end is recorded before the call answers) sends nothing.
    const quick = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
    const fast = (
      await harness.client.send(
        new CreateStateMachineCommand({ name: 'Fast', definition: quick, roleArn, type: 'EXPRESS' }),
      )
    ).stateMachineArn!;
    const answered = await harness.client.send(new StartSyncExecutionCommand({ stateMachineArn: fast, input: '{}' }));
    expect(answered.status).toBe('SUCCEEDED');
    expect(events).toHaveLength(1);
  });
});
