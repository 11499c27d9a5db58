/**
 * The call-centre workflow (EXPRESS, run with StartSyncExecution) on every path, with the Lambda tasks mocked
 * by MockConfigFile.json test cases (`<arn>#<TestCase>`; allowed on StartSyncExecution here, unlike Step Functions Local).
 */
import { StartSyncExecutionCommand, type StartSyncExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { stopHarness } from '../sfn-api/harness';
import {
  eventsOfType,
  localHistory,
  startWorkflows,
  statePath,
  substitutions,
  tickUntil,
  type Workflows,
} from './workflows';

let workflows: Workflows;
beforeAll(async () => {
  workflows = await startWorkflows();
});
afterAll(() => stopHarness(workflows?.harness));

const reserveRequest = {
  TransactionType: 'Reserve',
  GuestName: 'Ada Lovelace',
  GuestEmail: 'ada@example.com',
  RoomType: 'STANDARD',
  CheckIn: '2030-06-01',
  CheckOut: '2030-06-03',
};
const cancelRequest = { TransactionType: 'Cancel', ReservationId: 'res-42' };

async function run(testCase: string, input: object): Promise<StartSyncExecutionCommandOutput> {
  return workflows.harness.client.send(
    new StartSyncExecutionCommand({
      stateMachineArn: `${workflows.callCentreArn}#${testCase}`,
      input: JSON.stringify(input),
    }),
  );
}

const history = (result: StartSyncExecutionCommandOutput) => localHistory(workflows.harness, result.executionArn!);

describe('Reserve', () => {
  it('ReserveOk: answers the contract 200 body from the function payload', async () => {
    const result = await run('ReserveOk', reserveRequest);
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({
      TransactionType: 'Reserve',
      ReservationId: 'res-42',
      RoomNumber: '101',
      RoomType: 'STANDARD',
      CheckIn: '2030-06-01',
      CheckOut: '2030-06-03',
      Nights: 2,
      Status: 'CONFIRMED',
      Timestamp: '2030-05-01T10:00:00.000Z',
      Message: 'Room 101 is reserved for Ada Lovelace from 2030-06-01 to 2030-06-03.',
    });
    const events = await history(result);
    expect(statePath(events)).toEqual(['ProcessTransaction', 'KeyReserveToExecution', 'Reserve']);
    const [scheduled] = eventsOfType(events, 'TaskScheduled');
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
    // The function gets the request and the execution's id, which keys the reservation when the client sent none.
    expect(JSON.parse(scheduled.taskScheduledEventDetails!.parameters!)).toEqual({
      FunctionName: substitutions.ReserveRoomFunctionArn,
      Payload: { ...reserveRequest, Execution: { Id: result.executionArn } },
    });
    expect(eventsOfType(events, 'TaskSucceeded')).toHaveLength(1);
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');
  });

  it('ReserveRoomUnavailable: fails with RoomUnavailable and the Lambda error JSON as the cause', async () => {
    const result = await run('ReserveRoomUnavailable', reserveRequest);
    expect(result).toMatchObject({ status: 'FAILED', error: 'RoomUnavailable' });
    expect(JSON.parse(result.cause!)).toMatchObject({
      errorType: 'RoomUnavailable',
      errorMessage: 'No STANDARD room is free for every night from 2030-06-01 to 2030-06-03.',
    });
    const events = await history(result);
    expect(statePath(events)).toEqual(['ProcessTransaction', 'KeyReserveToExecution', 'Reserve', 'RoomUnavailable']);
    expect(eventsOfType(events, 'TaskFailed')[0].taskFailedEventDetails).toMatchObject({ error: 'RoomUnavailable' });
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'RoomUnavailable' },
    });
  });

  it('ReserveValidationError: fails with ValidationError naming the field', async () => {
    const result = await run('ReserveValidationError', { ...reserveRequest, CheckOut: '2030-05-01' });
    expect(result).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
    expect(JSON.parse(result.cause!).errorMessage).toBe('CheckOut must be after CheckIn.');
    expect(statePath(await history(result))).toEqual([
      'ProcessTransaction',
      'KeyReserveToExecution',
      'Reserve',
      'ValidationError',
    ]);
  });

  it('ReserveRetryThenOk: a throttled invocation is retried and the second one answers', async () => {
    let result: StartSyncExecutionCommandOutput | undefined;
    const running = run('ReserveRetryThenOk', reserveRequest).then((output) => (result = output));
    await tickUntil(workflows.harness, async () => result !== undefined);
    await running;
    expect(result!.status).toBe('SUCCEEDED');
    expect(JSON.parse(result!.output!)).toMatchObject({ ReservationId: 'res-42', Status: 'CONFIRMED' });
    const events = await history(result!);
    expect(statePath(events)).toEqual(['ProcessTransaction', 'KeyReserveToExecution', 'Reserve']);
    expect(
      events.filter((event) => /^Task(Scheduled|Failed|Succeeded)$/.test(event.type ?? '')).map((event) => event.type),
    ).toEqual(['TaskScheduled', 'TaskFailed', 'TaskScheduled', 'TaskSucceeded']);
    expect(eventsOfType(events, 'TaskFailed')[0].taskFailedEventDetails!.error).toBe('Lambda.TooManyRequestsException');
    // The retry carries the same execution id, so the function derives the same ReservationId both times.
    const payloads = eventsOfType(events, 'TaskScheduled').map(
      (event) => JSON.parse(event.taskScheduledEventDetails!.parameters!).Payload,
    );
    expect(payloads).toEqual([0, 1].map(() => ({ ...reserveRequest, Execution: { Id: result!.executionArn } })));
  });

  it('an Execution member sent by the client is replaced by the execution’s own id', async () => {
    const result = await run('ReserveOk', { ...reserveRequest, Execution: { Id: 'forged' } });
    const [scheduled] = eventsOfType(await history(result), 'TaskScheduled');
    expect(JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).Payload.Execution).toEqual({
      Id: result.executionArn,
    });
  });
});

describe('Cancel', () => {
  it('CancelOk: answers the contract 200 body', async () => {
    const result = await run('CancelOk', cancelRequest);
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({
      TransactionType: 'Cancel',
      ReservationId: 'res-42',
      Status: 'CANCELLED',
      Timestamp: '2030-05-02T10:00:00.000Z',
      Message: 'Reservation res-42 is cancelled.',
    });
    const events = await history(result);
    expect(statePath(events)).toEqual(['ProcessTransaction', 'Cancel']);
    expect(JSON.parse(eventsOfType(events, 'TaskScheduled')[0].taskScheduledEventDetails!.parameters!)).toEqual({
      FunctionName: substitutions.CancelReservationFunctionArn,
      Payload: cancelRequest,
    });
  });

  it('CancelNotFound: fails with ReservationNotFound', async () => {
    const result = await run('CancelNotFound', { ...cancelRequest, ReservationId: 'res-404' });
    expect(result).toMatchObject({ status: 'FAILED', error: 'ReservationNotFound' });
    expect(JSON.parse(result.cause!).errorMessage).toBe('No reservation res-404 exists.');
    expect(statePath(await history(result))).toEqual(['ProcessTransaction', 'Cancel', 'ReservationNotFound']);
  });

  it('CancelValidationError: fails with ValidationError', async () => {
    const result = await run('CancelValidationError', { TransactionType: 'Cancel' });
    expect(result).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
    expect(statePath(await history(result))).toEqual(['ProcessTransaction', 'Cancel', 'ValidationError']);
  });
});

describe('unknown transactions', () => {
  it.each([
    ['an unknown TransactionType', { ...reserveRequest, TransactionType: 'Refund' }],
    ['no TransactionType at all', { GuestName: 'Ada' }],
  ])('UnknownTransaction: %s fails with UnknownTransactionType without calling a function', async (_case, input) => {
    const result = await run('UnknownTransaction', input);
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'UnknownTransactionType',
      cause: 'TransactionType must be "Reserve" or "Cancel".',
    });
    const events = await history(result);
    expect(statePath(events)).toEqual(['ProcessTransaction', 'UnknownTransactionType']);
    expect(eventsOfType(events, 'TaskScheduled')).toEqual([]);
    expect(workflows.harness.lambda.calls).toEqual([]);
  });
});
