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

  /** ScheduleExam hands out exam 1, 2, 3 and refuses a fourth; the notification submits `results` in turn. */
  function plagiarism(results: Array<'PASSED' | 'FAILED' | 'NONE'>, overrides: Record<string, Script> = {}) {
    let scheduled = 0;
    let submitted = 0;
    const h = harness({
      RegisterIncident: () => ({ ok: true, output: {} }),
      ScheduleExam: () =>
        ++scheduled > 3
          ? lambdaError('StudentExceededAllowableExamRetries', 'Ann has taken 3 exams')
          : lambdaResult(exam(scheduled)),
      SendExamNotification: (request) => {
        const result = results[submitted++];
        if (result !== 'NONE') {
          const payload = (request.parameters as { Payload: { ExamId: string } }).Payload;
          setImmediate(() =>
            h.engine.sendTaskSuccess(request.taskToken!, {
              IncidentId: 'inc-1',
              ExamId: payload.ExamId,
              Score: result === 'PASSED' ? 80 : 20,
              Result: result,
            }),
          );
        }
        return lambdaResult(null);
      },
      RecordExamNotSat: () => ({ ok: true, output: {} }),
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
    expect(h.calls('ResolveIncident')[0]).toMatchObject({
      resource: 'arn:aws:states:::dynamodb:updateItem',
      parameters: {
        TableName: 'IncidentsTable',
        Key: { IncidentId: { S: 'inc-1' } },
        ExpressionAttributeNames: { '#status': 'Status' },
        ExpressionAttributeValues: { ':resolved': { S: 'RESOLVED' } },
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
      'ScheduleExam',
      'SendExamNotification',
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
        ConditionExpression: 'Exams[0].ExamId = :examId',
        ExpressionAttributeValues: { ':notSat': { S: 'NOT_SAT' }, ':examId': { S: 'ex-1' } },
      },
    });
    expect(h.calls('TakeAdministrativeAction')[0].parameters).toMatchObject({
      Payload: { IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' },
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
      'DynamoDB.ConditionalCheckFailedException',
      ['RegisterIncident', 'ScheduleExam', 'SendExamNotification', 'RecordExamNotSat'],
    ],
    [
      'ResolveIncident',
      ['PASSED'],
      'DynamoDB.AmazonDynamoDBException',
      ['RegisterIncident', 'ScheduleExam', 'SendExamNotification', 'ResolveIncident'],
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
