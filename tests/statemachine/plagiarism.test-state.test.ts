/**
 * TestState unit tests of the plagiarism workflow (JSONata, variables), state by state (the MockConfigFile.json
 * tests beside this file run whole executions): every state of the deployed definition, with the variables earlier
 * states would have assigned given as TestState `variables`, its DynamoDB and Lambda tasks mocked, the callback
 * task's token given in a `context`, and each Retry and Catch of its tasks taken through stateConfiguration.
 * Under TestState, AWS names the state under test "StateName" in the context object ($states.context.State.Name),
 * so a Catch that records the failed state records that name here.
 */
import { deployedDefinition, errorHandling, stateTester, testStateOf, value } from './test-state';

const definition = deployedDefinition('PlagiarismStateMachine');
const { testState, everyStateTested } = stateTester(definition);

const incident = {
  IncidentId: 'inc-1',
  StudentId: 's-1',
  StudentName: 'Grace Hopper',
  StudentEmail: 'grace@example.com',
  IncidentDate: '2030-01-15',
};
const exam = {
  IncidentId: 'inc-1',
  ExamId: 'exam-1',
  Deadline: '2030-05-08T10:00:00.000Z',
  ExamCount: 1,
  StudentName: 'Grace Hopper',
  StudentEmail: 'grace@example.com',
};
/** The variables the states before the exam assigned. */
const scheduled = { incidentShard: '1', incidentId: 'inc-1', exam };
const variables = (values: object) => JSON.stringify(values);
const invoked = (payload: unknown) => JSON.stringify({ ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 });
const failure = (error: string, cause = 'it failed') => ({ errorOutput: { error, cause } });
const examRecord = (fields: Record<string, unknown>) => JSON.stringify({ Item: { Exams: { L: [{ M: fields }] } } });

/** The failure a "States.ALL" Catch assigns before TakeAdministrativeAction. */
const workflowFailed = (error: string, cause: string) => ({
  adminReason: 'WORKFLOW_FAILED',
  failure: { FailedState: 'StateName', Error: error, Cause: cause },
});

/**
 * Every retrier of a task: RETRIABLE with its back-off while it has attempts left (the definition's interval,
 * rate and cap), then the Catch that matches the error (or FAILED when none does).
 */
async function retriesThenCatch(state: string, request: { variables?: string; context?: string }): Promise<void> {
  const { retry, catch: catchers } = errorHandling(definition, state);
  expect(retry.length).toBeGreaterThan(0);
  for (const [retryIndex, retrier] of retry.entries()) {
    for (const error of retrier.ErrorEquals) {
      const attempts = retrier.MaxAttempts ?? 3;
      for (let retries = 0; retries < attempts; retries++) {
        const result = await testState(definition, state, {
          ...request,
          mock: failure(error),
          stateConfiguration: { retrierRetryCount: retries },
        });
        const backOff = Math.min(
          (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retries,
          retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
        );
        expect(result).toMatchObject({ status: 'RETRIABLE', error });
        expect(result.inspectionData?.errorDetails).toEqual({ retryIndex, retryBackoffIntervalSeconds: backOff });
      }
      const exhausted = await testState(definition, state, {
        ...request,
        mock: failure(error),
        stateConfiguration: { retrierRetryCount: attempts },
      });
      const catchIndex = catchers.findIndex((catcher) => catcher.ErrorEquals.includes('States.ALL'));
      if (catchIndex < 0) {
        expect(exhausted).toMatchObject({ status: 'FAILED', error });
        expect(exhausted.inspectionData?.errorDetails).toEqual({ retryIndex });
      } else {
        expect(exhausted).toMatchObject({ status: 'CAUGHT_ERROR', error, nextState: catchers[catchIndex].Next });
        expect(exhausted.inspectionData?.errorDetails).toEqual({ retryIndex, catchIndex });
      }
    }
  }
}

describe('ValidateIncident (Choice)', () => {
  it("valid input goes to RegisterIncident and assigns the incident's shard", async () => {
    const result = await testState(definition, 'ValidateIncident', { input: incident });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'RegisterIncident' });
    expect(value(result.inspectionData?.variables)).toEqual({ incidentShard: expect.stringMatching(/^[0-3]$/) });
  });

  it.each([
    ['a missing StudentEmail', { ...incident, StudentEmail: undefined }],
    ['an impossible day', { ...incident, IncidentDate: '2030-02-30' }],
    ['an IncidentId with a space', { ...incident, IncidentId: 'inc 1' }],
    ['not an object', ['inc-1']],
  ])('%s goes to InvalidIncident', async (_case, input) => {
    const result = await testState(definition, 'ValidateIncident', { input });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'InvalidIncident' });
  });
});

it('InvalidIncident fails with ValidationError', async () => {
  const result = await testState(definition, 'InvalidIncident', { input: {} });
  expect(result).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
});

describe('RegisterIncident (dynamodb:putItem)', () => {
  const request = { input: incident, variables: variables({ incidentShard: '1' }) };

  it('puts the incident, keyed for GET /incidents, only if no other execution registered it', async () => {
    const result = await testState(definition, 'RegisterIncident', { ...request, mock: { result: '{}' } });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'ScheduleExam' });
    const put = value(result.inspectionData?.afterArguments) as {
      TableName: string;
      Item: Record<string, { S: string }>;
      ExpressionAttributeValues: Record<string, { S: string }>;
    };
    expect(put.TableName).toBe('IncidentsTable');
    expect(put.Item.Status).toEqual({ S: 'EXAM_SCHEDULED' });
    expect(put.Item.StatusPartition).toEqual({ S: 'EXAM_SCHEDULED#1' });
    expect(put.Item.CreatedOrder.S).toBe(`${put.Item.CreatedAt.S}#inc-1`);
    expect(put.Item.Description).toBeUndefined();
    expect(put.ExpressionAttributeValues[':executionArn']).toEqual(put.Item.executionArn);
    expect(value(result.inspectionData?.variables)).toEqual({ incidentShard: '1', incidentId: 'inc-1' });
  });

  it('keeps an optional Description', async () => {
    const result = await testState(definition, 'RegisterIncident', {
      ...request,
      input: { ...incident, Description: 'copied answers' },
      mock: { result: '{}' },
    });
    const put = value(result.inspectionData?.afterArguments) as { Item: Record<string, unknown> };
    expect(put.Item.Description).toEqual({ S: 'copied answers' });
  });

  it("another execution's IncidentId is caught into IncidentAlreadyExists", async () => {
    const result = await testState(definition, 'RegisterIncident', {
      ...request,
      mock: failure('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed'),
    });
    expect(result).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'IncidentAlreadyExists' });
  });

  it('a throttled or unreachable DynamoDB is retried (2, 4, ... 60 s), then fails the execution', () =>
    retriesThenCatch('RegisterIncident', request));
});

it('IncidentAlreadyExists fails with IncidentAlreadyExists', async () => {
  const result = await testState(definition, 'IncidentAlreadyExists', { input: incident });
  expect(result).toMatchObject({ status: 'FAILED', error: 'IncidentAlreadyExists' });
});

describe('ScheduleExam (lambda:invoke ScheduleExamFunction)', () => {
  const request = { variables: variables({ incidentShard: '1', incidentId: 'inc-1' }) };

  it('schedules an exam for the incident and keeps it in $exam', async () => {
    const result = await testState(definition, 'ScheduleExam', { ...request, mock: { result: invoked(exam) } });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'SendExamNotification' });
    expect(value(result.output)).toEqual(exam);
    expect(value(result.inspectionData?.afterArguments)).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:ScheduleExamFunction',
      Payload: { IncidentId: 'inc-1' },
    });
    expect(value(result.inspectionData?.variables)).toMatchObject({ exam });
  });

  it('a fourth exam is refused: administrative action for EXAM_RETRIES_EXCEEDED', async () => {
    const result = await testState(definition, 'ScheduleExam', {
      ...request,
      mock: failure('StudentExceededAllowableExamRetries', 'three exams'),
    });
    expect(result).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'TakeAdministrativeAction' });
    expect(result.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
    expect(value(result.inspectionData?.variables)).toMatchObject({ adminReason: 'EXAM_RETRIES_EXCEEDED' });
  });

  it('a defect is caught, the failure recorded for the administrators', async () => {
    const result = await testState(definition, 'ScheduleExam', { ...request, mock: failure('TypeError', 'oops') });
    expect(result).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'TakeAdministrativeAction' });
    expect(value(result.inspectionData?.variables)).toMatchObject(workflowFailed('TypeError', 'oops'));
  });

  it("Lambda's transient errors and ServiceUnavailable are retried, then caught", () =>
    retriesThenCatch('ScheduleExam', request));
});

describe('SendExamNotification (lambda:invoke.waitForTaskToken)', () => {
  const token = 'token-of-exam-1';
  // The context the state would see in the execution (a given context is taken as given: AWS adds nothing to it).
  const context = JSON.stringify({
    State: { Name: 'SendExamNotification', EnteredTime: '2030-05-01T10:00:00.000Z', RetryCount: 0 },
    Task: { Token: token },
  });
  const request = { variables: variables(scheduled), context, input: exam };

  it('emails the link with the task token and keeps what the callback delivered in $delivered', async () => {
    const delivered = { IncidentId: 'inc-1', ExamId: 'exam-1', Score: 80, Result: 'PASSED' };
    const result = await testState(definition, 'SendExamNotification', {
      ...request,
      // The callback's output, whatever its shape (no API answers a .waitForTaskToken task: it is not checked).
      mock: { result: JSON.stringify({ ...delivered, StatusCode: 'not a number' }) },
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'ReadExamResult' });
    expect(value(result.inspectionData?.afterArguments)).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:SendExamNotificationFunction',
      Payload: {
        IncidentId: 'inc-1',
        ExamId: 'exam-1',
        Deadline: exam.Deadline,
        StudentName: 'Grace Hopper',
        StudentEmail: 'grace@example.com',
        TaskToken: token,
      },
    });
    expect(value(result.inspectionData?.variables)).toMatchObject({
      delivered: { ...delivered, StatusCode: 'not a number' },
    });
  });

  it('the deadline passing (States.Timeout) goes to RecordExamNotSat with nothing delivered', async () => {
    const result = await testState(definition, 'SendExamNotification', { ...request, mock: failure('States.Timeout') });
    expect(result).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'RecordExamNotSat' });
    expect(result.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
    expect(value(result.inspectionData?.variables)).toMatchObject({ delivered: null });
  });

  it('a defect is caught, the failure recorded for the administrators', async () => {
    const result = await testState(definition, 'SendExamNotification', { ...request, mock: failure('Ses.Rejected') });
    expect(result).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'TakeAdministrativeAction' });
    expect(value(result.inspectionData?.variables)).toMatchObject({
      adminReason: 'WORKFLOW_FAILED',
      failure: { FailedState: 'SendExamNotification', Error: 'Ses.Rejected', Cause: 'it failed' },
    });
  });

  it("Lambda's transient errors and ServiceUnavailable are retried, then caught", () =>
    retriesThenCatch('SendExamNotification', request));

  it('without a mock TestState refuses the callback pattern, as AWS does', async () => {
    await expect(
      testStateOf(definition, 'SendExamNotification', {
        variables: request.variables,
        roleArn: 'arn:aws:iam::1:role/r',
      }),
    ).rejects.toMatchObject({ code: 'ValidationException' });
  });
});

describe('ReadExamResult (dynamodb:getItem)', () => {
  const read = (delivered: unknown, record: Record<string, unknown>) =>
    testState(definition, 'ReadExamResult', {
      variables: variables({ ...scheduled, delivered }),
      mock: { result: examRecord(record) },
    });

  it("takes the recorded result of this workflow's exam", async () => {
    const result = await read(
      { Result: 'PASSED', Score: 80 },
      { ExamId: { S: 'exam-1' }, Result: { S: 'PASSED' }, Score: { N: '80' } },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'HasStudentPassedExam' });
    expect(value(result.output)).toEqual({
      IncidentId: 'inc-1',
      ExamId: 'exam-1',
      ExamInRecord: true,
      Result: 'PASSED',
      Score: 80,
    });
    expect(value(result.inspectionData?.afterArguments)).toMatchObject({
      TableName: 'IncidentsTable',
      Key: { IncidentId: { S: 'inc-1' } },
      ConsistentRead: true,
    });
  });

  it('says so when the callback delivered something else than the record', async () => {
    const result = await read(
      { Result: 'PASSED', Score: 100 },
      { ExamId: { S: 'exam-1' }, Result: { S: 'FAILED' }, Score: { N: '20' } },
    );
    expect(value(result.output)).toMatchObject({
      Result: 'FAILED',
      Score: 20,
      CallbackOutputIgnored: expect.stringContaining('the record is what counts'),
    });
  });

  it('an exam of another workflow in the record is not taken', async () => {
    const result = await read(null, { ExamId: { S: 'exam-0' }, Result: { S: 'PASSED' } });
    expect(value(result.output)).toMatchObject({ ExamInRecord: false, Result: null, Score: null });
  });

  it('a throttled DynamoDB is retried, then caught for the administrators', () =>
    retriesThenCatch('ReadExamResult', { variables: variables({ ...scheduled, delivered: null }) }));
});

describe('HasStudentPassedExam (Choice on the recorded result)', () => {
  const record = (fields: object) => ({ IncidentId: 'inc-1', ExamId: 'exam-1', ExamInRecord: true, ...fields });
  it.each([
    ['PASSED', 'ResolveIncident', record({ Result: 'PASSED', Score: 80 }), {}],
    ['FAILED', 'ScheduleExam', record({ Result: 'FAILED', Score: 20 }), {}],
    [
      'NOT_SAT',
      'TakeAdministrativeAction',
      record({ Result: 'NOT_SAT', Score: null }),
      { adminReason: 'EXAM_NOT_SAT' },
    ],
    ['no result recorded', 'CloseUnrecordedExam', record({ Result: null, Score: null }), {}],
  ])('%s goes to %s', async (_case, next, input, assigned) => {
    const result = await testState(definition, 'HasStudentPassedExam', { input, variables: variables(scheduled) });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: next });
    expect(value(result.inspectionData?.variables)).toEqual({ ...scheduled, ...assigned });
  });

  it("another workflow's exam in the record is a failure for the administrators (ExamRecordMismatch)", async () => {
    const result = await testState(definition, 'HasStudentPassedExam', {
      input: { ...record({ Result: null, Score: null }), ExamInRecord: false },
      variables: variables(scheduled),
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'TakeAdministrativeAction' });
    const assigned = value(result.inspectionData?.variables) as { failure: { Error: string; FailedState: string } };
    expect(assigned).toMatchObject({ adminReason: 'WORKFLOW_FAILED' });
    expect(assigned.failure).toMatchObject({ FailedState: 'ReadExamResult', Error: 'ExamRecordMismatch' });
  });
});

describe.each([
  ['CloseUnrecordedExam', 'ExamResultNotRecorded', { adminReason: 'WORKFLOW_FAILED' }],
  ['RecordExamNotSat', 'NOT_SAT', { adminReason: 'EXAM_NOT_SAT' }],
])('%s (dynamodb:updateItem, only while the exam has no result)', (state, written, assigned) => {
  const request = { variables: variables({ ...scheduled, delivered: { Result: 'PASSED' } }) };

  it(`writes ${written} on this exam only if it has no result, then administrative action`, async () => {
    const result = await testState(definition, state, { ...request, mock: { result: '{}' } });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'TakeAdministrativeAction' });
    const update = value(result.inspectionData?.afterArguments) as {
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, { S: string }>;
    };
    expect(update.ConditionExpression).toContain('Exams[0].ExamId = :examId');
    expect(update.ExpressionAttributeValues[':examId']).toEqual({ S: 'exam-1' });
    expect(JSON.stringify(update.ExpressionAttributeValues)).toContain(written);
    expect(value(result.inspectionData?.variables)).toMatchObject(assigned);
  });

  it('a result recorded meanwhile (ConditionalCheckFailed) is read and taken', async () => {
    const result = await testState(definition, state, {
      ...request,
      mock: failure('DynamoDB.ConditionalCheckFailedException'),
    });
    expect(result).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'ReadExamResult' });
    expect(result.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
  });

  it('a throttled DynamoDB is retried, then caught for the administrators', () => retriesThenCatch(state, request));
});

describe('TakeAdministrativeAction (lambda:invoke TakeAdministrativeActionFunction)', () => {
  const answer = { IncidentId: 'inc-1', Status: 'ADMIN_ACTION_REQUIRED' };

  it.each([
    ['EXAM_NOT_SAT', { adminReason: 'EXAM_NOT_SAT' }, { IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }],
    [
      'WORKFLOW_FAILED',
      workflowFailed('TypeError', 'oops'),
      { IncidentId: 'inc-1', Reason: 'WORKFLOW_FAILED', FailedState: 'StateName', Error: 'TypeError', Cause: 'oops' },
    ],
  ])('tells the administrators why (%s)', async (_reason, assigned, payload) => {
    const result = await testState(definition, 'TakeAdministrativeAction', {
      variables: variables({ ...scheduled, ...assigned }),
      mock: { result: invoked(answer) },
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: 'HasWorkflowFailed' });
    expect(value(result.output)).toEqual(answer);
    expect(value(result.inspectionData?.afterArguments)).toMatchObject({ Payload: payload });
  });

  it('is retried, and its own failure (no Catch) ends the execution', () =>
    retriesThenCatch('TakeAdministrativeAction', {
      variables: variables({ ...scheduled, adminReason: 'EXAM_NOT_SAT' }),
    }));
});

describe('HasWorkflowFailed (Choice)', () => {
  it.each([
    ['WORKFLOW_FAILED', 'WorkflowFailed'],
    ['EXAM_NOT_SAT', 'AdministrativeActionTaken'],
    ['EXAM_RETRIES_EXCEEDED', 'AdministrativeActionTaken'],
  ])('%s goes to %s', async (adminReason, next) => {
    const result = await testState(definition, 'HasWorkflowFailed', {
      input: { IncidentId: 'inc-1' },
      variables: variables({ adminReason }),
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', nextState: next });
  });
});

it("AdministrativeActionTaken succeeds with TakeAdministrativeAction's answer", async () => {
  const input = { IncidentId: 'inc-1', Status: 'ADMIN_ACTION_REQUIRED' };
  const result = await testState(definition, 'AdministrativeActionTaken', { input });
  expect(result.status).toBe('SUCCEEDED');
  expect(value(result.output)).toEqual(input);
  expect(result.nextState).toBeUndefined();
});

it('WorkflowFailed fails with the error and cause of the state that failed', async () => {
  const result = await testState(definition, 'WorkflowFailed', {
    input: {},
    variables: variables(workflowFailed('DynamoDB.ThrottlingException', 'Rate exceeded')),
  });
  expect(result).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ThrottlingException', cause: 'Rate exceeded' });
});

describe('ResolveIncident (dynamodb:updateItem)', () => {
  const request = { variables: variables(scheduled), input: { Result: 'PASSED' } };

  it('marks the incident RESOLVED in its listing partition and ends the workflow', async () => {
    const result = await testState(definition, 'ResolveIncident', { ...request, mock: { result: '{}' } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.nextState).toBeUndefined();
    expect(value(result.output)).toEqual({ IncidentId: 'inc-1', Status: 'RESOLVED' });
    expect(value(result.inspectionData?.afterArguments)).toMatchObject({
      ExpressionAttributeValues: { ':resolved': { S: 'RESOLVED' }, ':partition': { S: 'RESOLVED#1' } },
    });
  });

  it('a throttled DynamoDB is retried, then caught for the administrators', () =>
    retriesThenCatch('ResolveIncident', request));
});

it('a mocked DynamoDB answer of the wrong shape is refused, as AWS checks it against the API', async () => {
  await expect(
    testStateOf(definition, 'ReadExamResult', {
      variables: variables(scheduled),
      mock: { result: JSON.stringify({ Item: { Exams: { L: 'not a list' } } }) },
    }),
  ).rejects.toMatchObject({ message: "Mock result schema validation error: Field 'L' must be an array" });
});

// Every state of the definition has its TestState unit test.
afterAll(everyStateTested);
