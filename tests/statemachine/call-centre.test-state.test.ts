/**
 * TestState unit tests of the call-centre workflow, state by state (the MockConfigFile.json tests beside this file
 * run whole executions): every state of the deployed definition, its Lambda tasks mocked, and each Retry and Catch
 * of its tasks taken through stateConfiguration.retrierRetryCount.
 */
import { deployedDefinition, errorHandling, roleArn, stateTester, testStateOf, value } from './test-state';

const definition = deployedDefinition('CallCentreStateMachine');
const { testState, everyStateTested } = stateTester(definition);

const reserveRequest = {
  TransactionType: 'Reserve',
  GuestName: 'Ada Lovelace',
  GuestEmail: 'ada@example.com',
  RoomType: 'STANDARD',
  CheckIn: '2030-06-01',
  CheckOut: '2030-06-03',
};
const reserved = {
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
};
const cancelled = {
  TransactionType: 'Cancel',
  ReservationId: 'res-42',
  Status: 'CANCELLED',
  Timestamp: '2030-05-01T10:00:00.000Z',
  Message: 'Reservation res-42 is cancelled.',
};
/** What lambda:invoke answers: the function's return value as Payload, with Lambda's metadata. */
const invoked = (payload: unknown) =>
  JSON.stringify({ ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200, SdkHttpMetadata: {} });
/** A function error as lambda:invoke reports it: errorType is the error, Lambda's error JSON the cause. */
const functionError = (errorType: string, errorMessage: string) => ({
  errorOutput: { error: errorType, cause: JSON.stringify({ errorType, errorMessage, trace: [] }) },
});

describe('ProcessTransaction (Choice on TransactionType)', () => {
  it.each([
    ['Reserve', 'KeyReserveToExecution', reserveRequest],
    ['Cancel', 'Cancel', { TransactionType: 'Cancel', ReservationId: 'res-42' }],
    ['an unknown type', 'UnknownTransactionType', { TransactionType: 'Upgrade' }],
    ['no TransactionType at all', 'UnknownTransactionType', { GuestName: 'Ada' }],
  ])('%s goes to %s', async (_case, next, input) => {
    const answer = await testState(definition, 'ProcessTransaction', { input });
    expect(answer).toMatchObject({ status: 'SUCCEEDED', nextState: next });
    expect(value(answer.output)).toEqual(input);
  });
});

describe('KeyReserveToExecution (Pass)', () => {
  it("gives the function this execution's id as Execution.Id, replacing any Execution the client sent", async () => {
    const answer = await testState(definition, 'KeyReserveToExecution', {
      input: { ...reserveRequest, Execution: { Id: 'forged', Other: 1 } },
    });
    expect(answer).toMatchObject({ status: 'SUCCEEDED', nextState: 'Reserve' });
    const output = value(answer.output) as { Execution: { Id: string } };
    expect(output).toEqual({
      ...reserveRequest,
      Execution: { Id: expect.stringMatching(/^arn:aws:states:.+:express:/) },
    });
    expect(value(answer.inspectionData?.afterParameters)).toEqual(output.Execution);
  });
});

describe.each([
  {
    task: 'Reserve',
    functionName: 'ReserveRoomFunction',
    input: { ...reserveRequest, Execution: { Id: 'arn:aws:states:us-east-1:123456789012:express:CallCentre:e1:e1' } },
    answer: reserved,
    domainErrors: ['ValidationError', 'RoomUnavailable'],
  },
  {
    task: 'Cancel',
    functionName: 'CancelReservationFunction',
    input: { TransactionType: 'Cancel', ReservationId: 'res-42' },
    answer: cancelled,
    domainErrors: ['ValidationError', 'ReservationNotFound'],
  },
])('$task (lambda:invoke $functionName)', ({ task, functionName, input, answer, domainErrors }) => {
  it("calls the function with the request and keeps exactly the contract's body of its answer", async () => {
    const result = await testState(definition, task, {
      input,
      mock: { result: invoked({ ...answer, Internal: 'dropped by ResultSelector' }) },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.nextState).toBeUndefined();
    expect(value(result.output)).toEqual(answer);
    expect(value(result.inspectionData?.afterParameters)).toEqual({
      FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
      Payload: input,
    });
  });

  it.each(domainErrors)('the function error %s is caught into its Fail state with Lambda error JSON', async (error) => {
    const result = await testState(definition, task, { input, mock: functionError(error, `${error} happened`) });
    expect(result).toMatchObject({ status: 'CAUGHT_ERROR', error, nextState: error });
    expect(value(result.output)).toEqual({
      Error: error,
      Cause: JSON.stringify({ errorType: error, errorMessage: `${error} happened`, trace: [] }),
    });
  });

  it('each transient error is retried as its retrier says, then caught into ServiceUnavailable', async () => {
    const { retry, catch: catchers } = errorHandling(definition, task);
    const serviceUnavailable = catchers.findIndex((catcher) => catcher.Next === 'ServiceUnavailable');
    for (const [retryIndex, retrier] of retry.entries()) {
      for (const error of retrier.ErrorEquals) {
        const attempts = retrier.MaxAttempts ?? 3;
        for (let retries = 0; retries < attempts; retries++) {
          const result = await testState(definition, task, {
            input,
            mock: { errorOutput: { error, cause: 'transient' } },
            stateConfiguration: { retrierRetryCount: retries },
          });
          expect(result).toMatchObject({ status: 'RETRIABLE', error, cause: 'transient' });
          const backOff = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retries;
          expect(result.inspectionData?.errorDetails).toEqual({ retryIndex, retryBackoffIntervalSeconds: backOff });
        }
        const exhausted = await testState(definition, task, {
          input,
          mock: { errorOutput: { error, cause: 'transient' } },
          stateConfiguration: { retrierRetryCount: attempts },
        });
        expect(exhausted).toMatchObject({ status: 'CAUGHT_ERROR', error, nextState: 'ServiceUnavailable' });
        expect(exhausted.inspectionData?.errorDetails).toEqual({ retryIndex, catchIndex: serviceUnavailable });
      }
    }
  });

  it('its two back-offs are the ones the 29 s budget counts on: 1 s and 2 s for Lambda, 1 s for ServiceUnavailable', async () => {
    const backOffs = [];
    for (const [error, retries] of [
      ['Lambda.TooManyRequestsException', 0],
      ['Lambda.TooManyRequestsException', 1],
      ['ServiceUnavailable', 0],
    ] as const) {
      const result = await testState(definition, task, {
        input,
        mock: { errorOutput: { error, cause: '' } },
        stateConfiguration: { retrierRetryCount: retries },
      });
      backOffs.push(result.inspectionData?.errorDetails?.retryBackoffIntervalSeconds);
    }
    expect(backOffs).toEqual([1, 2, 1]);
  });

  it('a defect in the function (an error no Catch names) fails the state', async () => {
    const result = await testState(definition, task, { input, mock: functionError('TypeError', 'x is undefined') });
    expect(result).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(result.nextState).toBeUndefined();
  });

  it('without a mock AWS needs a role and calls the real function (refused here without one)', async () => {
    await expect(testStateOf(definition, task, { input })).rejects.toMatchObject({
      code: 'ValidationException',
      message: 'RoleArn must be specified when testing a Task state',
    });
    await expect(testStateOf(definition, task, { input, roleArn })).resolves.toMatchObject({ status: 'FAILED' });
  });
});

describe('the Fail states', () => {
  it('UnknownTransactionType names the two transactions', async () => {
    const result = await testState(definition, 'UnknownTransactionType', { input: { TransactionType: 'Upgrade' } });
    expect(result).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        error: 'UnknownTransactionType',
        cause: 'TransactionType must be "Reserve" or "Cancel".',
      }),
    );
  });

  it.each(['ValidationError', 'RoomUnavailable', 'ReservationNotFound'])(
    "%s keeps the function's error JSON as its Cause (CausePath)",
    async (state) => {
      const cause = JSON.stringify({ errorType: state, errorMessage: 'because', trace: [] });
      const result = await testState(definition, state, { input: { Error: state, Cause: cause } });
      expect(result).toMatchObject({ status: 'FAILED', error: state, cause });
    },
  );

  it('ServiceUnavailable tells the caller to try again', async () => {
    const result = await testState(definition, 'ServiceUnavailable', {
      input: { Error: 'Lambda.ServiceException', Cause: 'down' },
    });
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'ServiceUnavailable',
      cause: 'The reservation service is temporarily unavailable. Please try again in a moment.',
    });
  });
});

// Every state of the definition has its TestState unit test.
afterAll(everyStateTested);
