/**
 * The two state machine definitions, run by the project's engine with their DefinitionSubstitutions resolved as
 * the offline runtime resolves them, against scripted service integrations: every branch the workflows
 * promise (docs/ARCHITECTURE.md "Workflow payloads") and what each step sends to Lambda and DynamoDB.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Engine,
  VirtualClock,
  type ExecutionInfo,
  type TaskOutcome,
  type TaskRequest,
} from '@serverless-workflows/sfn-engine';
import { PROJECT_ROOT } from '../../local/template/load';
import { statusPartition } from '../../functions/shared/plagiarism/incident-index';

const ACCOUNT = 'arn:aws:lambda:us-east-1:123456789012:function:';
const SUBSTITUTIONS: Record<string, string> = {
  ReserveRoomFunctionArn: `${ACCOUNT}ReserveRoomFunction`,
  CancelReservationFunctionArn: `${ACCOUNT}CancelReservationFunction`,
  ScheduleExamFunctionArn: `${ACCOUNT}ScheduleExamFunction`,
  SendExamNotificationFunctionArn: `${ACCOUNT}SendExamNotificationFunction`,
  TakeAdministrativeActionFunctionArn: `${ACCOUNT}TakeAdministrativeActionFunction`,
  IncidentsTableName: 'IncidentsTable',
};

function definition(file: string): string {
  return readFileSync(path.join(PROJECT_ROOT, 'statemachine', file), 'utf8').replace(
    /\$\{(\w+)\}/g,
    (_, name: string) => SUBSTITUTIONS[name],
  );
}

type Script = (request: TaskRequest) => TaskOutcome | Promise<TaskOutcome>;
const lambdaResult = (payload: unknown): TaskOutcome => ({
  ok: true,
  output: { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: payload },
});
const lambdaError = (errorType: string, errorMessage: string): TaskOutcome => ({
  ok: false,
  error: errorType,
  cause: JSON.stringify({ errorType, errorMessage, trace: [] }),
});

/** An engine whose integrations answer per state from a script, recording every request. */
function harness(scripts: Record<string, Script>) {
  const clock = new VirtualClock(Date.UTC(2030, 0, 1));
  const requests: TaskRequest[] = [];
  const engine = new Engine({
    clock,
    integrations: {
      invoke: async (request) => {
        requests.push(request);
        const script = scripts[request.stateName];
        if (!script) throw new Error(`no script for ${request.stateName}`);
        return script(request);
      },
    },
  });
  const start = (file: string, name: string, type: 'STANDARD' | 'EXPRESS', input: unknown) =>
    engine.start({
      definition: definition(file),
      stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
      stateMachineName: name,
      executionArn: `arn:aws:states:us-east-1:123456789012:${type === 'EXPRESS' ? 'express' : 'execution'}:${name}:run-1`,
      name: 'run-1',
      input,
      type,
    });
  const calls = (state: string) => requests.filter((request) => request.stateName === state);
  return { clock, engine, requests, start, calls };
}

/**
 * Runs the clock until the execution ends, jumping from timer to timer (Retry backoffs, task timeouts), but only
 * once the scripted callbacks pending at this instant (SendTaskSuccess from a setImmediate) have run.
 */
async function finish(clock: VirtualClock, done: Promise<ExecutionInfo>): Promise<ExecutionInfo> {
  let result: ExecutionInfo | undefined;
  void done.then((info) => (result = info));
  for (let step = 0; !result && step < 1000; step++) {
    for (let settle = 0; settle < 5 && !result; settle++) await clock.advance(0);
    const next = clock.nextTimerAt();
    if (!result && next !== undefined) await clock.advance(next - clock.now());
  }
  if (!result) throw new Error('the execution did not end');
  return result;
}

describe('call-centre.asl.json (EXPRESS)', () => {
  const reserve = {
    TransactionType: 'Reserve',
    GuestName: 'Ann',
    GuestEmail: 'ann@example.com',
    RoomType: 'SUITE',
    CheckIn: '2030-02-01',
    CheckOut: '2030-02-03',
  };
  const confirmed = {
    TransactionType: 'Reserve',
    ReservationId: 'r-1',
    RoomNumber: '301',
    RoomType: 'SUITE',
    CheckIn: '2030-02-01',
    CheckOut: '2030-02-03',
    Nights: 2,
    Status: 'CONFIRMED',
    Timestamp: '2030-01-01T00:00:00.000Z',
    Message: 'Reserved room 301.',
  };

  test('Reserve invokes ReserveRoomFunction with the request and outputs exactly its contract body', async () => {
    const { clock, start, calls } = harness({ Reserve: () => lambdaResult({ ...confirmed, Internal: 'dropped' }) });
    const info = await finish(clock, start('call-centre.asl.json', 'CallCentreStateMachine', 'EXPRESS', reserve).done);
    expect(info).toMatchObject({ status: 'SUCCEEDED', output: confirmed });
    expect(calls('Reserve')[0]).toMatchObject({
      resource: 'arn:aws:states:::lambda:invoke',
      parameters: { FunctionName: SUBSTITUTIONS.ReserveRoomFunctionArn, Payload: reserve },
    });
  });

  test('Cancel invokes CancelReservationFunction; Lambda throttling is retried', async () => {
    const cancelled = {
      TransactionType: 'Cancel',
      ReservationId: 'r-1',
      Status: 'CANCELLED',
      Timestamp: 't',
      Message: 'Cancelled.',
    };
    let attempts = 0;
    const { clock, start, calls } = harness({
      Cancel: () =>
        ++attempts <= 2
          ? { ok: false, error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' }
          : lambdaResult(cancelled),
    });
    const info = await finish(
      clock,
      start('call-centre.asl.json', 'CallCentreStateMachine', 'EXPRESS', {
        TransactionType: 'Cancel',
        ReservationId: 'r-1',
      }).done,
    );
    expect(info).toMatchObject({ status: 'SUCCEEDED', output: cancelled });
    expect(calls('Cancel')).toHaveLength(3);
  });

  test.each([[{ TransactionType: 'Refund' }], [{ GuestName: 'no type' }], [{ TransactionType: 7 }]])(
    '%j fails with UnknownTransactionType and a readable cause',
    async (input) => {
      const { clock, start, requests } = harness({});
      const info = await finish(clock, start('call-centre.asl.json', 'CallCentreStateMachine', 'EXPRESS', input).done);
      expect(info).toMatchObject({
        status: 'FAILED',
        error: 'UnknownTransactionType',
        cause: 'TransactionType must be "Reserve" or "Cancel".',
      });
      expect(requests).toHaveLength(0);
    },
  );

  test.each([
    ['Reserve', 'ValidationError', 'CheckIn must not be in the past'],
    ['Reserve', 'RoomUnavailable', 'No SUITE is free'],
    ['Cancel', 'ValidationError', 'ReservationId is required'],
    ['Cancel', 'ReservationNotFound', 'Reservation r-9 does not exist'],
  ])(
    '%s failing with %s ends in that Fail state carrying the function error as Cause',
    async (transaction, error, message) => {
      const { clock, start } = harness({ [transaction]: () => lambdaError(error, message) });
      const info = await finish(
        clock,
        start('call-centre.asl.json', 'CallCentreStateMachine', 'EXPRESS', { TransactionType: transaction }).done,
      );
      expect(info).toMatchObject({ status: 'FAILED', error });
      expect(JSON.parse(info.cause!)).toMatchObject({ errorType: error, errorMessage: message });
    },
  );
});

describe('plagiarism.asl.json (STANDARD)', () => {
  const incident = {
    IncidentId: 'inc-1',
    StudentId: 'S1',
    StudentName: 'Ann',
    StudentEmail: 'ann@example.edu',
    IncidentDate: '2029-12-20',
  };
  const exam = (n: number) => ({
    IncidentId: 'inc-1',
    ExamId: `ex-${n}`,
    Deadline: '2030-01-08T00:00:00.000Z',
    ExamCount: n,
    StudentName: 'Ann',
    StudentEmail: 'ann@example.edu',
  });

  /**
   * What the Testing Centre does with an exam's link, per exam in turn: PASSED and FAILED as SubmitExam does them
   * (the result recorded on the exam, then SendTaskSuccess with it); NONE: nothing before the deadline; RECORDED:
   * a pass recorded whose SendTaskSuccess never arrived (SubmitExam crashed or Step Functions answered 5xx in
   * between); FORGED: SendTaskSuccess {Result: PASSED} with nothing recorded.
   */
  type Submission = 'PASSED' | 'FAILED' | 'NONE' | 'RECORDED' | 'FORGED';
  const scoreOf = { PASSED: 80, FAILED: 20 } as const;
  const conditionFailed: TaskOutcome = {
    ok: false,
    error: 'DynamoDB.ConditionalCheckFailedException',
    cause: 'The conditional request failed',
  };

  /**
   * ScheduleExam hands out exam 1, 2, 3 and refuses a fourth; the notification submits `submissions` in turn. The
   * newest exam's record (its Result and Score) is kept here as IncidentsTable would: ReadExamResult reads it, and
   * RecordExamNotSat and CloseUnrecordedExam fail their condition once it has a result.
   */
  function plagiarism(submissions: Submission[], overrides: Record<string, Script> = {}) {
    let scheduled = 0;
    let submitted = 0;
    const newest: { ExamId?: string; Result: string | null; Score: number | null } = { Result: null, Score: null };
    const h = harness({
      RegisterIncident: () => ({ ok: true, output: {} }),
      ScheduleExam: () =>
        ++scheduled > 3
          ? lambdaError('StudentExceededAllowableExamRetries', 'Ann has taken 3 exams')
          : lambdaResult(exam(scheduled)),
      SendExamNotification: (request) => {
        const submission = submissions[submitted++];
        const payload = (request.parameters as { Payload: { ExamId: string } }).Payload;
        // The exam being notified is the newest one, without a result yet.
        Object.assign(newest, { ExamId: payload.ExamId, Result: null, Score: null });
        const result = submission === 'RECORDED' ? 'PASSED' : submission;
        if (result === 'PASSED' || result === 'FAILED')
          Object.assign(newest, { Result: result, Score: scoreOf[result] });
        const delivered =
          submission === 'PASSED' || submission === 'FAILED'
            ? { IncidentId: 'inc-1', ExamId: payload.ExamId, Score: scoreOf[submission], Result: submission }
            : submission === 'FORGED'
              ? { Result: 'PASSED' }
              : undefined;
        if (delivered) setImmediate(() => h.engine.sendTaskSuccess(request.taskToken!, delivered));
        return lambdaResult(null);
      },
      ReadExamResult: () => ({
        ok: true,
        output: {
          Item: {
            Exams: {
              L: [
                {
                  M: {
                    ExamId: { S: newest.ExamId },
                    Result: newest.Result === null ? { NULL: true } : { S: newest.Result },
                    Score: newest.Score === null ? { NULL: true } : { N: String(newest.Score) },
                  },
                },
              ],
            },
          },
        },
      }),
      RecordExamNotSat: () => {
        if (newest.Result !== null) return conditionFailed;
        newest.Result = 'NOT_SAT';
        return { ok: true, output: {} };
      },
      CloseUnrecordedExam: () => (newest.Result !== null ? conditionFailed : { ok: true, output: {} }),
      ResolveIncident: () => ({ ok: true, output: {} }),
      TakeAdministrativeAction: () => lambdaResult({ IncidentId: 'inc-1', Status: 'ADMIN_ACTION_REQUIRED' }),
      ...overrides,
    });
    return h;
  }

  test('a first exam passed: register, schedule, notify with the task token, resolve', async () => {
    const h = plagiarism(['PASSED']);
    const execution = h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', {
      ...incident,
      Description: 'Copied',
    });
    const info = await finish(h.clock, execution.done);
    expect(info.status).toBe('SUCCEEDED');
    expect(h.requests.map((r) => r.stateName)).toEqual([
      'RegisterIncident',
      'ScheduleExam',
      'SendExamNotification',
      'ReadExamResult',
      'ResolveIncident',
    ]);

    const [register] = h.calls('RegisterIncident');
    expect(register).toMatchObject({
      resource: 'arn:aws:states:::dynamodb:putItem',
      parameters: {
        TableName: 'IncidentsTable',
        ConditionExpression: 'attribute_not_exists(IncidentId) OR executionArn = :executionArn',
      },
    });
    // Exactly these attributes: no Description in the input, so no empty attribute is written.
    expect((register.parameters as { Item: unknown }).Item).toEqual({
      IncidentId: { S: 'inc-1' },
      StudentId: { S: 'S1' },
      StudentName: { S: 'Ann' },
      StudentEmail: { S: 'ann@example.edu' },
      IncidentDate: { S: '2029-12-20' },
      Description: { S: 'Copied' },
      Status: { S: 'EXAM_SCHEDULED' },
      Exams: { L: [] },
      executionArn: { S: execution.info.executionArn },
      CreatedAt: { S: expect.stringMatching(/^2030-01-01T/) },
      UpdatedAt: { S: expect.stringMatching(/^2030-01-01T/) },
      // GET /incidents' index keys, the shard as the functions compute it (incident-index.ts).
      StatusPartition: { S: statusPartition('EXAM_SCHEDULED', 'inc-1') },
      CreatedOrder: { S: expect.stringMatching(/^2030-01-01T\d\d:\d\d:\d\d\.\d{3}Z#inc-1$/) },
    });
    expect(h.calls('ScheduleExam')[0].parameters).toEqual({
      FunctionName: SUBSTITUTIONS.ScheduleExamFunctionArn,
      Payload: { IncidentId: 'inc-1' },
    });
    const [notify] = h.calls('SendExamNotification');
    expect(notify).toMatchObject({
      resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      timeoutSeconds: 604800,
    });
    const { ExamCount: _count, ...examFields } = exam(1);
    expect(notify.parameters).toEqual({
      FunctionName: SUBSTITUTIONS.SendExamNotificationFunctionArn,
      Payload: { ...examFields, TaskToken: notify.taskToken },
    });
    // The result is read from the exam's record (strongly consistent, the newest exam's id, result and score only).
    expect(h.calls('ReadExamResult')[0]).toMatchObject({
      resource: 'arn:aws:states:::dynamodb:getItem',
      parameters: {
        TableName: 'IncidentsTable',
        Key: { IncidentId: { S: 'inc-1' } },
        ConsistentRead: true,
        ProjectionExpression: '#exams[0].#examId, #exams[0].#result, #exams[0].#score',
        ExpressionAttributeNames: { '#exams': 'Exams', '#examId': 'ExamId', '#result': 'Result', '#score': 'Score' },
      },
    });
    expect(h.calls('ResolveIncident')[0]).toMatchObject({
      resource: 'arn:aws:states:::dynamodb:updateItem',
      parameters: {
        TableName: 'IncidentsTable',
        Key: { IncidentId: { S: 'inc-1' } },
        ExpressionAttributeNames: { '#status': 'Status' },
        ExpressionAttributeValues: {
          ':resolved': { S: 'RESOLVED' },
          ':partition': { S: statusPartition('RESOLVED', 'inc-1') },
        },
      },
    });
  });

  test('an IncidentId registered by another execution (ConditionalCheckFailed) fails IncidentAlreadyExists and schedules nothing', async () => {
    const h = plagiarism(['PASSED'], {
      RegisterIncident: () => ({
        ok: false,
        error: 'DynamoDB.ConditionalCheckFailedException',
        cause: 'The conditional request failed',
      }),
    });
    const info = await finish(
      h.clock,
      h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
    );
    expect(info).toMatchObject({ status: 'FAILED', error: 'IncidentAlreadyExists' });
    expect(h.calls('ScheduleExam')).toEqual([]);
  });

  test('a failed exam schedules another; passing the second resolves', async () => {
    const h = plagiarism(['FAILED', 'PASSED']);
    const info = await finish(
      h.clock,
      h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
    );
    expect(info.status).toBe('SUCCEEDED');
    expect(h.requests.map((r) => r.stateName)).toEqual([
      'RegisterIncident',
      'ScheduleExam',
      'SendExamNotification',
      'ReadExamResult',
      'ScheduleExam',
      'SendExamNotification',
      'ReadExamResult',
      'ResolveIncident',
    ]);
    expect(h.calls('SendExamNotification')[1].parameters).toMatchObject({ Payload: { ExamId: 'ex-2' } });
  });

  test('three failed exams lead to administrative action (EXAM_RETRIES_EXCEEDED)', async () => {
    const h = plagiarism(['FAILED', 'FAILED', 'FAILED']);
    const info = await finish(
      h.clock,
      h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
    );
    expect(info.status).toBe('SUCCEEDED');
    expect(h.calls('ScheduleExam')).toHaveLength(4);
    expect(h.calls('ResolveIncident')).toHaveLength(0);
    expect(h.calls('TakeAdministrativeAction')[0].parameters).toEqual({
      FunctionName: SUBSTITUTIONS.TakeAdministrativeActionFunctionArn,
      Payload: { IncidentId: 'inc-1', Reason: 'EXAM_RETRIES_EXCEEDED' },
    });
  });

  test('no exam by the deadline: the exam is recorded NOT_SAT, then administrative action (EXAM_NOT_SAT)', async () => {
    const h = plagiarism(['NONE']);
    const info = await finish(
      h.clock,
      h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
    );
    expect(info.status).toBe('SUCCEEDED');
    expect(h.clock.now() - Date.UTC(2030, 0, 1)).toBeGreaterThanOrEqual(604800 * 1000);
    expect(h.requests.map((r) => r.stateName)).toEqual([
      'RegisterIncident',
      'ScheduleExam',
      'SendExamNotification',
      'RecordExamNotSat',
      'TakeAdministrativeAction',
    ]);
    expect(h.calls('RecordExamNotSat')[0]).toMatchObject({
      resource: 'arn:aws:states:::dynamodb:updateItem',
      parameters: {
        TableName: 'IncidentsTable',
        Key: { IncidentId: { S: 'inc-1' } },
        ConditionExpression:
          'Exams[0].ExamId = :examId AND (attribute_not_exists(Exams[0].#result) OR attribute_type(Exams[0].#result, :null))',
        ExpressionAttributeValues: { ':notSat': { S: 'NOT_SAT' }, ':examId': { S: 'ex-1' }, ':null': { S: 'NULL' } },
      },
    });
    expect(h.calls('TakeAdministrativeAction')[0].parameters).toMatchObject({
      Payload: { IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' },
    });
  });

  /** The output ReadExamResult handed on (its TaskStateExited event), one per read. */
  const readOutputs = (events: readonly { type: string; [details: string]: unknown }[]) =>
    events
      .filter((event) => event.type === 'TaskStateExited')
      .map((event) => event.stateExitedEventDetails as { name: string; output: string })
      .filter((details) => details.name === 'ReadExamResult')
      .map((details) => JSON.parse(details.output));

  describe('the result comes from the exam record, never from the token', () => {
    test('a pass recorded but never delivered (the callback lost) is taken at the deadline: RecordExamNotSat does not overwrite it, the incident is resolved', async () => {
      const h = plagiarism(['RECORDED']);
      const execution = h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident);
      const info = await finish(h.clock, execution.done);
      expect(info).toMatchObject({ status: 'SUCCEEDED', output: { IncidentId: 'inc-1', Status: 'RESOLVED' } });
      expect(h.requests.map((r) => r.stateName)).toEqual([
        'RegisterIncident',
        'ScheduleExam',
        'SendExamNotification',
        'RecordExamNotSat',
        'ReadExamResult',
        'ResolveIncident',
      ]);
      expect(h.calls('TakeAdministrativeAction')).toEqual([]);
      expect(readOutputs(execution.events)).toEqual([
        { IncidentId: 'inc-1', ExamId: 'ex-1', ExamInRecord: true, Result: 'PASSED', Score: 80 },
      ]);
    });

    test('a forged SendTaskSuccess with nothing recorded resolves nothing: the exam is closed, the administrators are told (ExamResultNotRecorded) and the run fails with it', async () => {
      const h = plagiarism(['FORGED']);
      const execution = h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident);
      const info = await finish(h.clock, execution.done);
      expect(info).toMatchObject({ status: 'FAILED', error: 'ExamResultNotRecorded' });
      expect(info.cause).toContain('{"Result":"PASSED"}');
      expect(h.requests.map((r) => r.stateName)).toEqual([
        'RegisterIncident',
        'ScheduleExam',
        'SendExamNotification',
        'ReadExamResult',
        'CloseUnrecordedExam',
        'TakeAdministrativeAction',
      ]);
      expect(h.calls('CloseUnrecordedExam')[0]).toMatchObject({
        resource: 'arn:aws:states:::dynamodb:updateItem',
        parameters: {
          Key: { IncidentId: { S: 'inc-1' } },
          UpdateExpression: 'SET Exams[0].ClosedReason = :reason, UpdatedAt = :now REMOVE Exams[0].TaskToken',
          ConditionExpression:
            'Exams[0].ExamId = :examId AND (attribute_not_exists(Exams[0].#result) OR attribute_type(Exams[0].#result, :null))',
          ExpressionAttributeValues: { ':reason': { S: 'ExamResultNotRecorded' }, ':examId': { S: 'ex-1' } },
        },
      });
      expect(h.calls('TakeAdministrativeAction')[0].parameters).toEqual({
        FunctionName: SUBSTITUTIONS.TakeAdministrativeActionFunctionArn,
        Payload: {
          IncidentId: 'inc-1',
          Reason: 'WORKFLOW_FAILED',
          FailedState: 'SendExamNotification',
          Error: 'ExamResultNotRecorded',
          Cause: expect.stringContaining('has no recorded result'),
        },
      });
      expect(readOutputs(execution.events)[0]).toMatchObject({
        ExamInRecord: true,
        Result: null,
        CallbackOutputIgnored: expect.stringContaining('{"Result":"PASSED"}'),
      });
    });

    test('a forged PASSED over a recorded FAILED changes nothing: the recorded FAILED schedules the next exam, and the history says the callback was ignored', async () => {
      const h = plagiarism(['FAILED', 'PASSED'], {
        SendExamNotification: (() => {
          let calls = 0;
          return (request: TaskRequest) => {
            const payload = (request.parameters as { Payload: { ExamId: string } }).Payload;
            const first = calls++ === 0;
            const ok = lambdaResult(null);
            // The first exam: FAILED is recorded, then a forger completes the task with PASSED. The second: passed.
            setImmediate(() =>
              h.engine.sendTaskSuccess(
                request.taskToken!,
                first
                  ? { IncidentId: 'inc-1', ExamId: payload.ExamId, Score: 100, Result: 'PASSED' }
                  : { IncidentId: 'inc-1', ExamId: payload.ExamId, Score: 80, Result: 'PASSED' },
              ),
            );
            return ok;
          };
        })(),
        ReadExamResult: (() => {
          let reads = 0;
          return () => {
            const [examId, result, score] = reads++ === 0 ? ['ex-1', 'FAILED', '20'] : ['ex-2', 'PASSED', '80'];
            return {
              ok: true,
              output: {
                Item: { Exams: { L: [{ M: { ExamId: { S: examId }, Result: { S: result }, Score: { N: score } } }] } },
              },
            };
          };
        })(),
      });
      const execution = h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident);
      const info = await finish(h.clock, execution.done);
      expect(info.status).toBe('SUCCEEDED');
      expect(h.calls('ScheduleExam')).toHaveLength(2);
      const [first, second] = readOutputs(execution.events);
      expect(first).toEqual({
        IncidentId: 'inc-1',
        ExamId: 'ex-1',
        ExamInRecord: true,
        Result: 'FAILED',
        Score: 20,
        CallbackOutputIgnored:
          'The callback delivered {"IncidentId":"inc-1","ExamId":"ex-1","Score":100,"Result":"PASSED"}, but the exam record has Result FAILED and Score 20: the record is what counts.',
      });
      expect(second).not.toHaveProperty('CallbackOutputIgnored');
    });

    test('a result recorded just after the forged callback was read (CloseUnrecordedExam finds it) is taken', async () => {
      const h = plagiarism(['FORGED'], {
        CloseUnrecordedExam: () => conditionFailed,
        ReadExamResult: (() => {
          let reads = 0;
          return () => {
            const result = reads++ === 0 ? { NULL: true } : { S: 'PASSED' };
            const score = reads === 1 ? { NULL: true } : { N: '90' };
            return {
              ok: true,
              output: { Item: { Exams: { L: [{ M: { ExamId: { S: 'ex-1' }, Result: result, Score: score } }] } } },
            };
          };
        })(),
      });
      const info = await finish(
        h.clock,
        h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
      );
      expect(info).toMatchObject({ status: 'SUCCEEDED', output: { Status: 'RESOLVED' } });
      expect(h.requests.map((r) => r.stateName).slice(2)).toEqual([
        'SendExamNotification',
        'ReadExamResult',
        'CloseUnrecordedExam',
        'ReadExamResult',
        'ResolveIncident',
      ]);
      expect(h.calls('TakeAdministrativeAction')).toEqual([]);
    });

    test("RecordExamNotSat's own write, found by its retry, is NOT_SAT: administrative action (EXAM_NOT_SAT)", async () => {
      let attempts = 0;
      const h = plagiarism(['NONE'], {
        RecordExamNotSat: () =>
          ++attempts === 1 ? { ok: false, error: 'DynamoDB.SdkClientException', cause: 'no answer' } : conditionFailed,
        ReadExamResult: () => ({
          ok: true,
          output: {
            Item: { Exams: { L: [{ M: { ExamId: { S: 'ex-1' }, Result: { S: 'NOT_SAT' }, Score: { NULL: true } } }] } },
          },
        }),
      });
      const info = await finish(
        h.clock,
        h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
      );
      expect(info).toMatchObject({ status: 'SUCCEEDED' });
      expect(h.calls('TakeAdministrativeAction')[0].parameters).toMatchObject({
        Payload: { IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' },
      });
    });

    test('a record whose newest exam is not the awaited one is a defect: the administrators are told (ExamRecordMismatch)', async () => {
      const h = plagiarism(['PASSED'], {
        ReadExamResult: () => ({
          ok: true,
          output: {
            Item: { Exams: { L: [{ M: { ExamId: { S: 'ex-other' }, Result: { S: 'PASSED' }, Score: { N: '90' } } }] } },
          },
        }),
      });
      const info = await finish(
        h.clock,
        h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
      );
      expect(info).toMatchObject({ status: 'FAILED', error: 'ExamRecordMismatch' });
      expect(h.calls('ResolveIncident')).toEqual([]);
      expect(h.calls('CloseUnrecordedExam')).toEqual([]);
      expect(h.calls('TakeAdministrativeAction')[0].parameters).toMatchObject({
        Payload: { Reason: 'WORKFLOW_FAILED', FailedState: 'ReadExamResult', Error: 'ExamRecordMismatch' },
      });
    });
  });

  test.each([
    ['ScheduleExam', ['PASSED'], 'Lambda.Unknown', ['RegisterIncident', 'ScheduleExam']],
    [
      'SendExamNotification',
      ['PASSED'],
      'ValidationError',
      ['RegisterIncident', 'ScheduleExam', 'SendExamNotification'],
    ],
    [
      'RecordExamNotSat',
      ['NONE'],
      'DynamoDB.AmazonDynamoDBException',
      ['RegisterIncident', 'ScheduleExam', 'SendExamNotification', 'RecordExamNotSat'],
    ],
    [
      'ReadExamResult',
      ['PASSED'],
      'DynamoDB.AmazonDynamoDBException',
      ['RegisterIncident', 'ScheduleExam', 'SendExamNotification', 'ReadExamResult'],
    ],
    [
      'CloseUnrecordedExam',
      ['FORGED'],
      'DynamoDB.AmazonDynamoDBException',
      ['RegisterIncident', 'ScheduleExam', 'SendExamNotification', 'ReadExamResult', 'CloseUnrecordedExam'],
    ],
    [
      'ResolveIncident',
      ['PASSED'],
      'DynamoDB.AmazonDynamoDBException',
      ['RegisterIncident', 'ScheduleExam', 'SendExamNotification', 'ReadExamResult', 'ResolveIncident'],
    ],
  ] as const)(
    'an error %s cannot retry tells the administrators (WORKFLOW_FAILED) and the run still fails with it',
    async (failedState, results, error, before) => {
      const h = plagiarism([...results], {
        [failedState]: () => ({ ok: false, error, cause: `${failedState} went wrong` }),
      });
      const info = await finish(
        h.clock,
        h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
      );
      expect(info).toMatchObject({ status: 'FAILED', error, cause: `${failedState} went wrong` });
      expect(h.requests.map((r) => r.stateName)).toEqual([...before, 'TakeAdministrativeAction']);
      expect(h.calls('TakeAdministrativeAction')[0].parameters).toEqual({
        FunctionName: SUBSTITUTIONS.TakeAdministrativeActionFunctionArn,
        Payload: {
          IncidentId: 'inc-1',
          Reason: 'WORKFLOW_FAILED',
          FailedState: failedState,
          Error: error,
          Cause: `${failedState} went wrong`,
        },
      });
    },
  );

  test('an error without a cause is handed on with an empty Cause', async () => {
    const h = plagiarism(['PASSED'], {
      ResolveIncident: () => ({ ok: false, error: 'DynamoDB.AmazonDynamoDBException' }),
    });
    const info = await finish(
      h.clock,
      h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
    );
    expect(info).toMatchObject({ status: 'FAILED', error: 'DynamoDB.AmazonDynamoDBException' });
    expect(h.calls('TakeAdministrativeAction')[0].parameters).toMatchObject({
      Payload: { Reason: 'WORKFLOW_FAILED', FailedState: 'ResolveIncident', Cause: '' },
    });
  });

  test('administrative action that fails itself is not caught: the run fails with its error, once', async () => {
    const h = plagiarism(['FAILED', 'FAILED', 'FAILED'], {
      TakeAdministrativeAction: () => lambdaError('IncidentNotFound', 'There is no incident inc-1.'),
    });
    const info = await finish(
      h.clock,
      h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
    );
    expect(info).toMatchObject({ status: 'FAILED', error: 'IncidentNotFound' });
    expect(h.calls('TakeAdministrativeAction')).toHaveLength(1);
  });

  test('Lambda throttling of ScheduleExam is retried', async () => {
    let attempts = 0;
    const h = plagiarism(['PASSED'], {
      ScheduleExam: () =>
        ++attempts <= 2
          ? { ok: false, error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' }
          : lambdaResult(exam(1)),
    });
    const info = await finish(
      h.clock,
      h.start('plagiarism.asl.json', 'PlagiarismStateMachine', 'STANDARD', incident).done,
    );
    expect(info.status).toBe('SUCCEEDED');
    expect(h.calls('ScheduleExam')).toHaveLength(3);
  });
});
