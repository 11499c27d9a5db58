/**
 * Map runs through @aws-sdk/client-sfn: a Distributed Map runs its items as child executions of a map run, as on
 * AWS (the parent's history has MapRunStarted/MapRunSucceeded and no iteration events: LocalStack's AWS-validated
 * test_map_state_legacy_config_distributed; ARNs and DescribeMapRun's shape: test_sfn_api_map_run), and
 * DescribeMapRun, ListMapRuns, UpdateMapRun and ListExecutions(mapRunArn) answer about it.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineForExecutionCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  StartExecutionCommand,
  UpdateMapRunCommand,
} from '@aws-sdk/client-sfn';
import {
  advanceClock,
  errorOf,
  eventually,
  historyOf,
  newDataDir,
  parsed,
  roleArn,
  startHarness,
  stopHarness,
  waitForEnd,
  type Harness,
} from './harness';

let harness: Harness;
const dataDir = newDataDir();
beforeAll(async () => {
  harness = await startHarness({ dataDir });
});
afterAll(() => stopHarness(harness));

const distributed = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        Label: 'Items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Step',
          States: states,
        },
        ...extra,
        End: true,
      },
    },
  });

async function start(name: string, definition: string, input: unknown) {
  const { stateMachineArn } = await harness.client.send(new CreateStateMachineCommand({ name, definition, roleArn }));
  const { executionArn } = await harness.client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  return { stateMachineArn: stateMachineArn!, executionArn: executionArn! };
}

describe('map runs', () => {
  it('runs each item as a child execution and records what AWS records', async () => {
    const { stateMachineArn, executionArn } = await start(
      'Doubler',
      distributed(
        { Step: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.n, $.n)' }, End: true } },
        { MaxConcurrency: 1 },
      ),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
    );
    const execution = await waitForEnd(harness.client, executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(parsed(execution.output)).toEqual([{ twice: 2 }, { twice: 4 }, { twice: 6 }]);
    const events = await historyOf(harness.client, executionArn);
    expect(events.map((event) => [event.type, event.id, event.previousEventId])).toEqual([
      ['ExecutionStarted', 1, 0],
      ['MapStateEntered', 2, 0],
      ['MapStateStarted', 3, 2],
      ['MapRunStarted', 4, 3],
      ['MapRunSucceeded', 5, 4],
      ['MapStateSucceeded', 6, 5],
      ['MapStateExited', 7, 5],
      ['ExecutionSucceeded', 8, 7],
    ]);
    const mapRunArn = events[3].mapRunStartedEventDetails!.mapRunArn!;
    expect(mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:Doubler\/Items:[0-9a-f-]{36}$/);

    const { mapRuns } = await harness.client.send(new ListMapRunsCommand({ executionArn }));
    expect(mapRuns).toEqual([
      expect.objectContaining({ executionArn, mapRunArn, stateMachineArn: `${stateMachineArn}/Items` }),
    ]);
    const described = await harness.client.send(new DescribeMapRunCommand({ mapRunArn }));
    const counts = {
      aborted: 0,
      failed: 0,
      pending: 0,
      resultsWritten: 3,
      running: 0,
      succeeded: 3,
      timedOut: 0,
      total: 3,
    };
    expect(described).toMatchObject({
      mapRunArn,
      executionArn,
      status: 'SUCCEEDED',
      maxConcurrency: 1,
      toleratedFailureCount: 0,
      toleratedFailurePercentage: 0,
      itemCounts: counts,
      executionCounts: counts,
    });

    const children = (await harness.client.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
    expect(children).toHaveLength(3);
    for (const child of children) {
      expect(child).toMatchObject({ mapRunArn, stateMachineArn: `${stateMachineArn}/Items`, status: 'SUCCEEDED' });
      expect(child.executionArn).toMatch(
        /^arn:aws:states:us-east-1:123456789012:execution:Doubler\/Items:[0-9a-f-]{36}$/,
      );
    }
    const child = children[0].executionArn!;
    expect(await harness.client.send(new DescribeExecutionCommand({ executionArn: child }))).toMatchObject({
      mapRunArn,
    });
    expect(
      await harness.client.send(new DescribeStateMachineForExecutionCommand({ executionArn: child })),
    ).toMatchObject({
      mapRunArn,
      label: 'Items',
      name: 'Doubler/Items',
    });
    expect((await historyOf(harness.client, child)).map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    // The parent's own listing does not hold its children.
    expect((await harness.client.send(new ListExecutionsCommand({ stateMachineArn }))).executions).toHaveLength(1);
  });

  it('fails past the tolerated failures, with the error AWS gives', async () => {
    const { executionArn } = await start(
      'Picky',
      distributed({
        Step: {
          Type: 'Choice',
          Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Fine' }],
          Default: 'Refuse',
        },
        Fine: { Type: 'Succeed' },
        Refuse: { Type: 'Fail', Error: 'NotOk' },
      }),
      [{ ok: true }, { ok: false }],
    );
    expect(await waitForEnd(harness.client, executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
      cause: 'The specified tolerated failure threshold was exceeded',
    });
    const types = (await historyOf(harness.client, executionArn)).map((event) => event.type);
    expect(types.slice(-3)).toEqual(['MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);

    const tolerant = await start(
      'Tolerant',
      distributed({ Step: { Type: 'Fail', Error: 'NotOk', Cause: 'no' } }, { ToleratedFailureCount: 1 }),
      [{}],
    );
    const ended = await waitForEnd(harness.client, tolerant.executionArn);
    expect(ended.status).toBe('SUCCEEDED');
    expect(parsed(ended.output)).toEqual([{ Error: 'NotOk', Cause: 'no' }]);
  });

  it('UpdateMapRun raises the concurrency of a running map run', async () => {
    const { executionArn } = await start(
      'Patient',
      distributed({ Step: { Type: 'Wait', Seconds: 100, End: true } }, { MaxConcurrency: 1 }),
      [1, 2, 3],
    );
    const [{ mapRunArn }] = (
      await eventually(
        'the map run',
        () => harness.client.send(new ListMapRunsCommand({ executionArn })),
        (answer) => (answer.mapRuns ?? []).length === 1,
      )
    ).mapRuns!;
    const counts = () => harness.client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect((await counts()).executionCounts).toMatchObject({ running: 1, pending: 2, total: 3 });
    await harness.client.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3, toleratedFailureCount: 2 }));
    const raised = await eventually('more children', counts, (answer) => answer.executionCounts?.running === 3);
    expect(raised).toMatchObject({ maxConcurrency: 3, toleratedFailureCount: 2, status: 'RUNNING' });
    await advanceClock(harness, 100);
    expect(await waitForEnd(harness.client, executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await errorOf(harness.client.send(new UpdateMapRunCommand({ mapRunArn })))).toMatchObject({
      name: 'ValidationException',
    });
    expect(await errorOf(harness.client.send(new DescribeMapRunCommand({ mapRunArn: `${mapRunArn}0` })))).toMatchObject(
      { name: 'ResourceNotFound' },
    );
  });

  it('a parent resumed after a restart carries on with its map run', async () => {
    const { executionArn } = await start(
      'Restarted',
      distributed({ Step: { Type: 'Wait', Seconds: 50, End: true } }, { MaxConcurrency: 1 }),
      ['a', 'b'],
    );
    await eventually(
      'the first child',
      () => harness.client.send(new ListMapRunsCommand({ executionArn })),
      (answer) => (answer.mapRuns ?? []).length === 1,
    );
    await stopHarness(harness, { keepData: true });
    harness = await startHarness({ dataDir });
    await advanceClock(harness, 50);
    await eventually(
      'the second child',
      async () => {
        const [{ mapRunArn }] = (await harness.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
        return (await harness.client.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts!;
      },
      (counts) => counts.running === 1 && counts.succeeded === 1,
    );
    await advanceClock(harness, 50);
    const ended = await waitForEnd(harness.client, executionArn);
    expect(ended).toMatchObject({ status: 'SUCCEEDED', output: '["a","b"]' });
  });
});
