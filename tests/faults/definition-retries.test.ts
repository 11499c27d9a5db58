/**
 * The definitions' answer to transient failures, run by the project's engine on a virtual clock against scripted
 * integrations: how often and after how long each kind is retried, and how a failure that outlasts the retries
 * ends. (faults.test.ts proves the same on the running local cloud for the cases it can provoke there.)
 */
import type { TaskOutcome } from '@serverless-workflows/sfn-engine';
import { harness, runToEnd } from '@serverless-workflows/sfn-engine/testing';
import { definitionOf } from '../statemachine/workflows';

const lambdaResult = (payload: unknown): TaskOutcome => ({ ok: true, output: { StatusCode: 200, Payload: payload } });
const unavailable: TaskOutcome = {
  ok: false,
  error: 'ServiceUnavailable',
  cause: JSON.stringify({
    errorType: 'ServiceUnavailable',
    errorMessage: 'The service is temporarily unavailable. Please try again in a moment.',
  }),
};
const failure = (error: string): TaskOutcome => ({ ok: false, error, cause: `${error} (Service: test)` });

/** Answers the first `failures` calls of each state with `failing`, then with `ok`; records when each call came. */
function run(
  file: string,
  type: 'STANDARD' | 'EXPRESS',
  input: unknown,
  states: Record<string, { failures: number; failing: TaskOutcome; ok: TaskOutcome }>,
) {
  const calls: Record<string, number[]> = {};
  const h = harness(async (request) => {
    calls[request.stateName] ??= [];
    const times = calls[request.stateName];
    times.push(h.clock.now());
    const script = states[request.stateName];
    if (!script) throw new Error(`no script for ${request.stateName}`);
    if (times.length <= script.failures) return script.failing;
    // A callback task's result is what the exam submission sends: a pass.
    if (request.taskToken) setImmediate(() => h.engine.sendTaskSuccess(request.taskToken!, { Result: 'PASSED' }));
    return script.ok;
  });
  const execution = h.engine.start({ ...h.options(JSON.parse(definitionOf(file)), input, 'run'), type });
  // Jumps the clock from timer to timer (the retry backoffs) until the execution ends.
  return { calls, done: runToEnd(h, execution) };
}

/** Seconds between consecutive calls. */
const gaps = (times: number[]) => times.slice(1).map((time, index) => (time - times[index]) / 1000);

describe('call centre (the caller is waiting)', () => {
  const reserve = {
    TransactionType: 'Reserve',
    GuestName: 'Ann',
    GuestEmail: 'ann@example.com',
    RoomType: 'SUITE',
    CheckIn: '2030-02-01',
    CheckOut: '2030-02-02',
  };
  const confirmed = {
    TransactionType: 'Reserve',
    ReservationId: 'r-1',
    RoomNumber: '301',
    RoomType: 'SUITE',
    CheckIn: '2030-02-01',
    CheckOut: '2030-02-02',
    Nights: 1,
    Status: 'CONFIRMED',
    Timestamp: 't',
    Message: 'm',
  };

  test('a function that answers ServiceUnavailable is retried once, after 1 s', async () => {
    const { calls, done } = run('call-centre.asl.json', 'EXPRESS', reserve, {
      Reserve: { failures: 1, failing: unavailable, ok: lambdaResult(confirmed) },
    });
    expect(await done).toMatchObject({ status: 'SUCCEEDED', output: confirmed });
    expect(gaps(calls.Reserve)).toEqual([1]);
  });

  test('ServiceUnavailable twice ends in the ServiceUnavailable Fail state with a sentence for the caller', async () => {
    const { calls, done } = run('call-centre.asl.json', 'EXPRESS', reserve, {
      Reserve: { failures: 2, failing: unavailable, ok: lambdaResult(confirmed) },
    });
    expect(await done).toMatchObject({
      status: 'FAILED',
      error: 'ServiceUnavailable',
      cause: 'The reservation service is temporarily unavailable. Please try again in a moment.',
    });
    expect(calls.Reserve).toHaveLength(2);
  });

  test.each([
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ])('a Cancel refused by Lambda with %s three times (1, 2 s apart) ends in ServiceUnavailable too', async (error) => {
    const { calls, done } = run(
      'call-centre.asl.json',
      'EXPRESS',
      { TransactionType: 'Cancel', ReservationId: 'r-1' },
      {
        Cancel: { failures: 3, failing: failure(error), ok: lambdaResult({}) },
      },
    );
    expect(await done).toMatchObject({ status: 'FAILED', error: 'ServiceUnavailable' });
    expect(gaps(calls.Cancel)).toEqual([1, 2]);
  });
});

describe('plagiarism (a student’s case must outlast an outage)', () => {
  const incident = {
    IncidentId: 'inc-1',
    StudentId: 'S1',
    StudentName: 'Ann',
    StudentEmail: 'ann@example.edu',
    IncidentDate: '2029-12-20',
  };
  const exam = {
    IncidentId: 'inc-1',
    ExamId: 'ex-1',
    Deadline: '2030-01-08T00:00:00.000Z',
    ExamCount: 1,
    StudentName: 'Ann',
    StudentEmail: 'ann@example.edu',
  };
  const written: TaskOutcome = { ok: true, output: {} };
  const healthy = { failures: 0, failing: written, ok: written };
  /** ReadExamResult's getItem: the exam's record with the PASSED result the submission wrote. */
  const recordedPass: TaskOutcome = {
    ok: true,
    output: {
      Item: { Exams: { L: [{ M: { ExamId: { S: 'ex-1' }, Result: { S: 'PASSED' }, Score: { N: '100' } } }] } },
    },
  };
  const examRead = { failures: 0, failing: recordedPass, ok: recordedPass };

  test.each(['ScheduleExam', 'SendExamNotification'])(
    '%s answering ServiceUnavailable is retried for about two minutes (2 s doubling, at most 60 s)',
    async (state) => {
      const scripts = {
        RegisterIncident: healthy,
        ScheduleExam: { ...healthy, ok: lambdaResult(exam) },
        SendExamNotification: { ...healthy, ok: lambdaResult({}) },
        ReadExamResult: examRead,
        ResolveIncident: healthy,
        [state]: {
          failures: 6,
          failing: unavailable,
          ok: state === 'ScheduleExam' ? lambdaResult(exam) : lambdaResult({}),
        },
      };
      const { calls, done } = run('plagiarism.asl.json', 'STANDARD', incident, scripts);
      expect(await done).toMatchObject({ status: 'SUCCEEDED', output: { IncidentId: 'inc-1', Status: 'RESOLVED' } });
      expect(gaps(calls[state])).toEqual([2, 4, 8, 16, 32, 60]);
    },
  );

  test('a DynamoDB that does not answer (DynamoDB.SdkClientException) is retried the same way, then named when it outlasts it', async () => {
    const down = (failures: number) =>
      run('plagiarism.asl.json', 'STANDARD', incident, {
        RegisterIncident: { failures, failing: failure('DynamoDB.SdkClientException'), ok: written },
        ScheduleExam: { ...healthy, ok: lambdaResult(exam) },
        SendExamNotification: { ...healthy, ok: lambdaResult({}) },
        ReadExamResult: examRead,
        ResolveIncident: healthy,
      });
    const recovered = down(6);
    expect(await recovered.done).toMatchObject({ status: 'SUCCEEDED' });
    expect(gaps(recovered.calls.RegisterIncident)).toEqual([2, 4, 8, 16, 32, 60]);
    const outlasted = down(7);
    expect(await outlasted.done).toMatchObject({ status: 'FAILED', error: 'DynamoDB.SdkClientException' });
    expect(outlasted.calls.ScheduleExam).toBeUndefined();
  });

  test.each([
    ['ScheduleExam', 'ServiceUnavailable', unavailable],
    ['ResolveIncident', 'DynamoDB.SdkClientException', failure('DynamoDB.SdkClientException')],
  ])(
    '%s outlasting its retries (%s) has the administrators told (WORKFLOW_FAILED), then fails with its error',
    async (state, error, failing) => {
      const { calls, done } = run('plagiarism.asl.json', 'STANDARD', incident, {
        RegisterIncident: healthy,
        ScheduleExam: { ...healthy, ok: lambdaResult(exam) },
        SendExamNotification: { ...healthy, ok: lambdaResult({}) },
        ReadExamResult: examRead,
        ResolveIncident: healthy,
        TakeAdministrativeAction: {
          ...healthy,
          ok: lambdaResult({ IncidentId: 'inc-1', Status: 'ADMIN_ACTION_REQUIRED', Reason: 'WORKFLOW_FAILED' }),
        },
        [state]: { failures: 7, failing, ok: written },
      });
      expect(await done).toMatchObject({ status: 'FAILED', error, cause: failing.ok ? undefined : failing.cause });
      expect(gaps(calls[state])).toEqual([2, 4, 8, 16, 32, 60]);
      expect(calls.TakeAdministrativeAction).toHaveLength(1);
    },
  );
});
