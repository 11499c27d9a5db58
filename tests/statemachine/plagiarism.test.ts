/**
 * The plagiarism workflow (STANDARD, JSONata) on every path, with its DynamoDB and Lambda tasks mocked by
 * MockConfigFile.json test cases (`<arn>#<TestCase>`). The mocked `.waitForTaskToken` notification completes at
 * once with the mocked exam result, as if the Testing Centre had called SendTaskSuccess; the workflow then reads the
 * result from the exam's record, which ReadExamResult's mocked getItem answers.
 */
import { DescribeExecutionCommand, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { historyOf, parsed, stopHarness, waitForEnd } from '../sfn-api/harness';
import { eventsOfType, startWorkflows, statePath, substitutions, tickUntil, type Workflows } from './workflows';

let workflows: Workflows;
beforeAll(async () => {
  workflows = await startWorkflows();
});
afterAll(() => stopHarness(workflows?.harness));

const incident = {
  IncidentId: 'inc-1',
  StudentId: 's-1',
  StudentName: 'Sam Student',
  StudentEmail: 'sam@example.edu',
  IncidentDate: '2030-05-01',
};

let runs = 0;
async function run(testCase: string, input: unknown = incident) {
  const { client } = workflows.harness;
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn: `${workflows.plagiarismArn}#${testCase}`,
      name: `${testCase}-${++runs}`,
      input: JSON.stringify(input),
    }),
  );
  return executionArn!;
}

async function finish(executionArn: string) {
  const described = await waitForEnd(workflows.harness.client, executionArn);
  return { described, events: await historyOf(workflows.harness.client, executionArn) };
}

/** The effective parameters of each scheduled task of a state, parsed. */
function parametersOf(events: HistoryEvent[], stateName: string): any[] {
  const result: any[] = [];
  let current: string | undefined;
  for (const event of events) {
    if (event.type?.endsWith('StateEntered')) current = event.stateEnteredEventDetails!.name;
    if (event.type === 'TaskScheduled' && current === stateName)
      result.push(JSON.parse(event.taskScheduledEventDetails!.parameters!));
  }
  return result;
}

const taskResults = (events: HistoryEvent[]) =>
  events
    .filter((event) => ['TaskSucceeded', 'TaskFailed'].includes(event.type ?? ''))
    .map((event) => (event.type === 'TaskFailed' ? `failed:${event.taskFailedEventDetails!.error}` : 'succeeded'));

it('ExamPassedFirstTime: registers, schedules, notifies with the task token, and resolves', async () => {
  const { described, events } = await finish(await run('ExamPassedFirstTime'));
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({ IncidentId: 'inc-1', Status: 'RESOLVED' });
  expect(statePath(events)).toEqual([
    'ValidateIncident',
    'RegisterIncident',
    'ScheduleExam',
    'SendExamNotification',
    'ReadExamResult',
    'HasStudentPassedExam',
    'ResolveIncident',
  ]);

  const [register] = parametersOf(events, 'RegisterIncident');
  expect(register).toMatchObject({
    TableName: substitutions.IncidentsTableName,
    ConditionExpression: 'attribute_not_exists(IncidentId) OR executionArn = :executionArn',
    Item: {
      IncidentId: { S: 'inc-1' },
      StudentEmail: { S: 'sam@example.edu' },
      Status: { S: 'EXAM_SCHEDULED' },
      Exams: { L: [] },
      executionArn: { S: described.executionArn },
    },
  });
  expect(register.Item).not.toHaveProperty('Description');
  expect(parametersOf(events, 'ScheduleExam')).toEqual([
    { FunctionName: substitutions.ScheduleExamFunctionArn, Payload: { IncidentId: 'inc-1' } },
  ]);

  const [notify] = parametersOf(events, 'SendExamNotification');
  expect(notify).toEqual({
    FunctionName: substitutions.SendExamNotificationFunctionArn,
    Payload: {
      IncidentId: 'inc-1',
      ExamId: 'exam-1',
      Deadline: '2030-06-08T10:00:00.000Z',
      StudentName: 'Sam Student',
      StudentEmail: 'sam@example.edu',
      TaskToken: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
    },
  });
  const scheduled = eventsOfType(events, 'TaskScheduled').find(
    (event) => event.taskScheduledEventDetails!.resource === 'invoke.waitForTaskToken',
  )!;
  expect(scheduled.taskScheduledEventDetails!.timeoutInSeconds).toBe(604800);
  const callback = events.slice(events.indexOf(scheduled));
  expect(callback.slice(0, 4).map((event) => event.type)).toEqual([
    'TaskScheduled',
    'TaskStarted',
    'TaskSubmitted',
    'TaskSucceeded',
  ]);
  expect(parsed(callback[3].taskSucceededEventDetails!.output)).toEqual({
    IncidentId: 'inc-1',
    ExamId: 'exam-1',
    Score: 89,
    Result: 'PASSED',
  });

  expect(parametersOf(events, 'ResolveIncident')[0]).toMatchObject({
    Key: { IncidentId: { S: 'inc-1' } },
    ExpressionAttributeValues: { ':resolved': { S: 'RESOLVED' } },
  });
  // Nothing reached a real service.
  expect(workflows.harness.lambda.calls).toEqual([]);
});

it('ExamFailedThenPassed: a failed exam schedules a second one, which is passed', async () => {
  const { described, events } = await finish(await run('ExamFailedThenPassed'));
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({ IncidentId: 'inc-1', Status: 'RESOLVED' });
  expect(statePath(events)).toEqual([
    'ValidateIncident',
    'RegisterIncident',
    'ScheduleExam',
    'SendExamNotification',
    'ReadExamResult',
    'HasStudentPassedExam',
    'ScheduleExam',
    'SendExamNotification',
    'ReadExamResult',
    'HasStudentPassedExam',
    'ResolveIncident',
  ]);
  expect(parametersOf(events, 'SendExamNotification').map((parameters) => parameters.Payload.ExamId)).toEqual([
    'exam-1',
    'exam-2',
  ]);
  const [first, second] = parametersOf(events, 'SendExamNotification').map(
    (parameters) => parameters.Payload.TaskToken,
  );
  expect(first).not.toBe(second);
});

it('ExamFailedThreeTimes: the fourth scheduling is refused and administrative action is taken', async () => {
  const { described, events } = await finish(await run('ExamFailedThreeTimes'));
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({
    IncidentId: 'inc-1',
    Status: 'ADMIN_ACTION_REQUIRED',
    Reason: 'EXAM_RETRIES_EXCEEDED',
  });
  const path = statePath(events);
  expect(path.filter((state) => state === 'ScheduleExam')).toHaveLength(4);
  expect(path.filter((state) => state === 'SendExamNotification')).toHaveLength(3);
  expect(path.slice(-4)).toEqual([
    'ScheduleExam',
    'TakeAdministrativeAction',
    'HasWorkflowFailed',
    'AdministrativeActionTaken',
  ]);
  expect(taskResults(events).at(-2)).toBe('failed:StudentExceededAllowableExamRetries');
  expect(parametersOf(events, 'TakeAdministrativeAction')).toEqual([
    {
      FunctionName: substitutions.TakeAdministrativeActionFunctionArn,
      Payload: { IncidentId: 'inc-1', Reason: 'EXAM_RETRIES_EXCEEDED' },
    },
  ]);
});

it('ExamNotSat: the deadline passes (States.Timeout), NOT_SAT is recorded and administrative action is taken', async () => {
  const { described, events } = await finish(await run('ExamNotSat'));
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({
    IncidentId: 'inc-1',
    Status: 'ADMIN_ACTION_REQUIRED',
    Reason: 'EXAM_NOT_SAT',
  });
  expect(statePath(events)).toEqual([
    'ValidateIncident',
    'RegisterIncident',
    'ScheduleExam',
    'SendExamNotification',
    'RecordExamNotSat',
    'TakeAdministrativeAction',
    'HasWorkflowFailed',
    'AdministrativeActionTaken',
  ]);
  expect(taskResults(events)).toEqual(['succeeded', 'succeeded', 'failed:States.Timeout', 'succeeded', 'succeeded']);
  expect(parametersOf(events, 'RecordExamNotSat')[0]).toMatchObject({
    Key: { IncidentId: { S: 'inc-1' } },
    // Only an exam without a result becomes NOT_SAT.
    ConditionExpression:
      'Exams[0].ExamId = :examId AND (attribute_not_exists(Exams[0].#result) OR attribute_type(Exams[0].#result, :null))',
    ExpressionAttributeValues: { ':notSat': { S: 'NOT_SAT' }, ':examId': { S: 'exam-1' } },
  });
  expect(parametersOf(events, 'TakeAdministrativeAction')[0].Payload).toEqual({
    IncidentId: 'inc-1',
    Reason: 'EXAM_NOT_SAT',
  });
});

it('ScheduleExamRetryThenOk: throttled Lambda invocations are retried with back-off until one answers', async () => {
  const executionArn = await run('ScheduleExamRetryThenOk');
  const { client } = workflows.harness;
  await tickUntil(
    workflows.harness,
    async () => (await client.send(new DescribeExecutionCommand({ executionArn }))).status !== 'RUNNING',
    60,
  );
  const { described, events } = await finish(executionArn);
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({ IncidentId: 'inc-1', Status: 'RESOLVED' });
  expect(statePath(events)).toEqual([
    'ValidateIncident',
    'RegisterIncident',
    'ScheduleExam',
    'SendExamNotification',
    'ReadExamResult',
    'HasStudentPassedExam',
    'ResolveIncident',
  ]);
  expect(taskResults(events).slice(1, 4)).toEqual([
    'failed:Lambda.TooManyRequestsException',
    'failed:Lambda.TooManyRequestsException',
    'succeeded',
  ]);
  expect(parametersOf(events, 'ScheduleExam')).toHaveLength(3);
  // The back-off is on the engine clock: 1 s, then 2 s (BackoffRate 2).
  const scheduled = events
    .filter((event) => event.type === 'TaskScheduled')
    .slice(1, 4)
    .map((event) => event.timestamp!.getTime());
  expect(scheduled[1] - scheduled[0]).toBeGreaterThanOrEqual(1000);
  expect(scheduled[2] - scheduled[1]).toBeGreaterThanOrEqual(2000);
});

it('ScheduleExamRetriesRunOut: once Retry is used up the administrators are told (WORKFLOW_FAILED), then the run fails with the real error', async () => {
  const executionArn = await run('ScheduleExamRetriesRunOut');
  const { client } = workflows.harness;
  await tickUntil(
    workflows.harness,
    async () => (await client.send(new DescribeExecutionCommand({ executionArn }))).status !== 'RUNNING',
    60,
  );
  const { described, events } = await finish(executionArn);
  expect(described).toMatchObject({
    status: 'FAILED',
    error: 'Lambda.TooManyRequestsException',
    cause: expect.stringContaining('Rate exceeded'),
  });
  expect(statePath(events)).toEqual([
    'ValidateIncident',
    'RegisterIncident',
    'ScheduleExam',
    'TakeAdministrativeAction',
    'HasWorkflowFailed',
    'WorkflowFailed',
  ]);
  // One try and MaxAttempts 3 retries, all throttled; then the catch-all, not the exam-refusal catcher.
  expect(taskResults(events)).toEqual([
    'succeeded',
    ...Array(4).fill('failed:Lambda.TooManyRequestsException'),
    'succeeded',
  ]);
  expect(parametersOf(events, 'TakeAdministrativeAction')).toEqual([
    {
      FunctionName: substitutions.TakeAdministrativeActionFunctionArn,
      Payload: {
        IncidentId: 'inc-1',
        Reason: 'WORKFLOW_FAILED',
        FailedState: 'ScheduleExam',
        Error: 'Lambda.TooManyRequestsException',
        Cause: expect.stringContaining('Rate exceeded'),
      },
    },
  ]);
  expect(eventsOfType(events, 'ExecutionFailed')[0].executionFailedEventDetails).toMatchObject({
    error: 'Lambda.TooManyRequestsException',
  });
});

it('IncidentAlreadyRegistered: an incident of another execution with the same IncidentId (ConditionalCheckFailed) is left alone and the run fails', async () => {
  const { described, events } = await finish(await run('IncidentAlreadyRegistered'));
  expect(described).toMatchObject({ status: 'FAILED', error: 'IncidentAlreadyExists' });
  expect(taskResults(events)).toEqual(['failed:DynamoDB.ConditionalCheckFailedException']);
  expect(statePath(events)).toEqual(['ValidateIncident', 'RegisterIncident', 'IncidentAlreadyExists']);
  // Only a record of this very execution may be written over (a retry of its own put).
  expect(parametersOf(events, 'RegisterIncident')[0]).toMatchObject({
    ConditionExpression: 'attribute_not_exists(IncidentId) OR executionArn = :executionArn',
    ExpressionAttributeValues: { ':executionArn': { S: described.executionArn } },
  });
});

it('refuses input that POST /incident would refuse before anything is written (ValidateIncident)', async () => {
  const bad = [
    { ...incident, IncidentDate: '2026-02-30' },
    { ...incident, StudentEmail: 'nobody' },
    { ...incident, StudentId: 7 },
    { ...incident, IncidentId: 'has space' },
  ];
  for (const input of bad) {
    const { described, events } = await finish(await run('ExamPassedFirstTime', input));
    expect(described).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
    expect(statePath(events)).toEqual(['ValidateIncident', 'InvalidIncident']);
  }
});

it('ExamRecordedNotDelivered: at the deadline a result recorded but never delivered is taken, not overwritten with NOT_SAT', async () => {
  const { described, events } = await finish(await run('ExamRecordedNotDelivered'));
  expect(described.status).toBe('SUCCEEDED');
  expect(parsed(described.output)).toEqual({ IncidentId: 'inc-1', Status: 'RESOLVED' });
  expect(statePath(events)).toEqual([
    'ValidateIncident',
    'RegisterIncident',
    'ScheduleExam',
    'SendExamNotification',
    'RecordExamNotSat',
    'ReadExamResult',
    'HasStudentPassedExam',
    'ResolveIncident',
  ]);
  expect(taskResults(events)).toEqual([
    'succeeded',
    'succeeded',
    'failed:States.Timeout',
    'failed:DynamoDB.ConditionalCheckFailedException',
    'succeeded',
    'succeeded',
  ]);
});

it('ExamResultForged: a SendTaskSuccess with no recorded result closes the exam, tells the administrators and fails ExamResultNotRecorded', async () => {
  const { described, events } = await finish(await run('ExamResultForged'));
  expect(described).toMatchObject({ status: 'FAILED', error: 'ExamResultNotRecorded' });
  expect(described.cause).toContain('{"Result":"PASSED"}');
  expect(statePath(events)).toEqual([
    'ValidateIncident',
    'RegisterIncident',
    'ScheduleExam',
    'SendExamNotification',
    'ReadExamResult',
    'HasStudentPassedExam',
    'CloseUnrecordedExam',
    'TakeAdministrativeAction',
    'HasWorkflowFailed',
    'WorkflowFailed',
  ]);
  expect(parametersOf(events, 'TakeAdministrativeAction')[0].Payload).toMatchObject({
    Reason: 'WORKFLOW_FAILED',
    FailedState: 'SendExamNotification',
    Error: 'ExamResultNotRecorded',
  });
});

it('refuses an unknown test case with a clear 400, and starts nothing', async () => {
  await expect(
    workflows.harness.client.send(
      new StartExecutionCommand({
        stateMachineArn: `${workflows.plagiarismArn}#NoSuchCase`,
        input: JSON.stringify(incident),
      }),
    ),
  ).rejects.toMatchObject({
    name: 'InvalidName',
    message: expect.stringContaining(
      "Invalid mock test case name 'NoSuchCase' for state machine 'PlagiarismStateMachine'",
    ),
    $metadata: { httpStatusCode: 400 },
  });
});
