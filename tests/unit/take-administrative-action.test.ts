import './support/setup';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/take-administrative-action/app';
import { metrics } from '../../functions/shared/infrastructure/metrics';
import { freezeClock, lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const context = lambdaContext('TakeAdministrativeActionFunction');

const incident = {
  IncidentId: 'inc-1',
  StudentId: 's-42',
  StudentName: 'Grace <Hopper>',
  StudentEmail: 'grace@example.edu',
  IncidentDate: '2030-02-20',
  Description: 'Essay copied from a website',
  Status: 'EXAM_SCHEDULED',
  Exams: [
    { ExamId: 'e-3', Deadline: 'x', Result: 'FAILED', Score: 50, TaskToken: 'secret-3' },
    { ExamId: 'e-2', Deadline: 'x', Result: 'FAILED', Score: 30 },
    { ExamId: 'e-1', Deadline: 'x', Result: 'FAILED', Score: 20 },
  ],
};

/** DynamoDB's answer to a transaction one of whose items failed (the incident's, first, unless said). */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    CancellationReasons: codes.map((Code) => ({ Code })),
    $metadata: {},
  });

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** The incident's half of the transaction that marks and counts it. */
const markedIncident = () => ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems![0].Update!;

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ddb.on(GetCommand).resolves({ Item: incident });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

describe('TakeAdministrativeActionFunction', () => {
  it('emails the admin staff and sets Status ADMIN_ACTION_REQUIRED when the retries are used up', async () => {
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const result = await handler({ IncidentId: 'inc-1', Reason: 'EXAM_RETRIES_EXCEEDED' }, context);

    expect(result).toEqual({ IncidentId: 'inc-1', Status: 'ADMIN_ACTION_REQUIRED', Reason: 'EXAM_RETRIES_EXCEEDED' });
    // Marked and counted at once, unless counted already (then nothing is written and it is updated as it is).
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Update: {
            TableName: 'IncidentsTable',
            Key: { IncidentId: 'inc-1' },
            UpdateExpression:
              'SET #status = :status, StatusPartition = :partition, UpdatedAt = :now, CountedStatus = :counted',
            ConditionExpression: '(attribute_exists(IncidentId)) AND attribute_not_exists(CountedStatus)',
            ExpressionAttributeNames: { '#status': 'Status' },
            ExpressionAttributeValues: {
              ':status': 'ADMIN_ACTION_REQUIRED',
              ':partition': 'ADMIN_ACTION_REQUIRED#1',
              ':now': '2030-03-01T09:30:00.000Z',
              ':counted': 'ADMIN_ACTION_REQUIRED',
            },
          },
        },
        {
          Update: {
            TableName: 'IncidentCountsTable',
            Key: { Status: 'ADMIN_ACTION_REQUIRED' },
            UpdateExpression: 'ADD IncidentCount :delta',
            ExpressionAttributeValues: { ':delta': 1 },
          },
        },
      ],
    });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      Source: 'noreply@example.com',
      Destination: { ToAddresses: ['admin@example.com'] },
    });
    const message = ses.commandCalls(SendEmailCommand)[0].args[0].input.Message!;
    expect(message.Subject!.Data).toBe('Action required: plagiarism incident inc-1');
    expect(message.Body!.Text!.Data).toContain('did not pass the referencing exam in the maximum number of attempts');
    expect(message.Body!.Text!.Data).toContain('Exam 3: FAILED (50%)');
    expect(message.Body!.Text!.Data).toContain('Exam 1: FAILED (20%)');
    expect(message.Body!.Html!.Data).toContain('Grace &lt;Hopper&gt;');
    expect(JSON.stringify(message)).not.toContain('secret-3');
    expect(addMetric).toHaveBeenCalledWith('AdminActionsRetriesExceeded', 'Count', 1);
  });

  it('explains an exam not sat by its deadline', async () => {
    const addMetric = jest.spyOn(metrics, 'addMetric');

    await handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context);

    const text = ses.commandCalls(SendEmailCommand)[0].args[0].input.Message!.Body!.Text!.Data!;
    expect(text).toContain('Grace <Hopper> did not sit the referencing exam before its deadline');
    expect(addMetric).toHaveBeenCalledWith('AdminActionsExamNotSat', 'Count', 1);
  });

  it('tells the staff where and how the workflow stopped when it failed, so they handle the incident by hand', async () => {
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const failure = {
      FailedState: 'ScheduleExam',
      Error: 'ServiceUnavailable',
      Cause: 'DynamoDB <GetItem> did not answer',
    };

    const result = await handler({ IncidentId: 'inc-1', Reason: 'WORKFLOW_FAILED', ...failure }, context);

    expect(result).toEqual({ IncidentId: 'inc-1', Status: 'ADMIN_ACTION_REQUIRED', Reason: 'WORKFLOW_FAILED' });
    expect(markedIncident().ExpressionAttributeValues).toMatchObject({
      ':status': 'ADMIN_ACTION_REQUIRED',
      ':partition': 'ADMIN_ACTION_REQUIRED#1',
    });
    const message = ses.commandCalls(SendEmailCommand)[0].args[0].input.Message!;
    expect(message.Subject!.Data).toBe('Action required: plagiarism incident inc-1');
    expect(message.Body!.Text!.Data).toContain(
      'The plagiarism workflow of incident inc-1 stopped at state ScheduleExam with error ServiceUnavailable, so the incident needs manual handling',
    );
    expect(message.Body!.Text!.Data).toContain('Error cause: DynamoDB <GetItem> did not answer');
    expect(message.Body!.Html!.Data).toContain('Error cause: DynamoDB &lt;GetItem&gt; did not answer');
    expect(message.Body!.Text!.Data).toContain('Student: Grace <Hopper> (s-42, grace@example.edu)');
    expect(addMetric).toHaveBeenCalledWith('AdminActionsWorkflowFailed', 'Count', 1);
  });

  it.each([
    ['without the failed state', { Reason: 'WORKFLOW_FAILED', Error: 'States.TaskFailed', Cause: '' }, 'FailedState'],
    ['without the error', { Reason: 'WORKFLOW_FAILED', FailedState: 'ScheduleExam', Cause: '' }, 'Error'],
    [
      'with a cause longer than Step Functions allows',
      { Reason: 'WORKFLOW_FAILED', FailedState: 'ScheduleExam', Error: 'X', Cause: 'x'.repeat(32769) },
      'Cause',
    ],
  ])('rejects a workflow failure %s with a ValidationError naming the field', async (_case, event, field) => {
    await expect(handler({ IncidentId: 'inc-1', ...event }, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(field),
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('throws IncidentNotFound for an unknown incident, emailing nobody', async () => {
    ddb.on(GetCommand).resolves({});

    await expect(handler({ IncidentId: 'nope', Reason: 'EXAM_NOT_SAT' }, context)).rejects.toMatchObject({
      name: 'IncidentNotFound',
    });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('throws IncidentNotFound for an incident gone since it was read, counting nothing and emailing nobody', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    ddb.on(UpdateCommand).rejects(conditionFailed());

    await expect(handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context)).rejects.toMatchObject({
      name: 'IncidentNotFound',
    });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('counts an incident marked already (a retry, a stop event as well) no more, and still emails', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    await expect(handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context)).resolves.toMatchObject({
      Status: 'ADMIN_ACTION_REQUIRED',
    });
    // The same update again, plain, only if the incident is counted already (so none slips past the counter).
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET #status = :status, StatusPartition = :partition, UpdatedAt = :now',
      ConditionExpression: '(attribute_exists(IncidentId)) AND attribute_exists(CountedStatus)',
    });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('tries again when another transaction holds the counter at that moment (TransactionConflict), counting once', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .resolves({});

    await expect(handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context)).resolves.toMatchObject({
      Status: 'ADMIN_ACTION_REQUIRED',
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('records ADMIN_ACTION_REQUIRED before it emails the administrators', async () => {
    await handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context);

    const [update] = ddb.commandCalls(TransactWriteCommand);
    const [email] = ses.commandCalls(SendEmailCommand);
    expect(update.calledBefore(email)).toBe(true);
  });

  it('keeps the status recorded and fails the invocation when the email cannot be sent, so that the retry emails', async () => {
    ses.on(SendEmailCommand).rejectsOnce(new Error('SES is down')).resolves({ MessageId: 'm-2' });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    await expect(handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context)).rejects.toThrow('SES is down');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(addMetric).not.toHaveBeenCalled();

    // Step Functions' retry: the incident is counted already, so the plain update's condition holds.
    ddb.on(GetCommand).resolves({ Item: { ...incident, Status: 'ADMIN_ACTION_REQUIRED' } });
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context)).resolves.toMatchObject({
      Status: 'ADMIN_ACTION_REQUIRED',
    });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 2);
    expect(addMetric).toHaveBeenCalledWith('AdminActionsExamNotSat', 'Count', 1);
  });

  it('emails nobody when the status cannot be recorded, so that the retry does both', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('DynamoDB is down'));

    await expect(handler({ IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' }, context)).rejects.toThrow('DynamoDB is down');
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('rejects an unknown reason with a ValidationError', async () => {
    await expect(handler({ IncidentId: 'inc-1', Reason: 'BORED' }, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('Reason'),
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('TakeAdministrativeActionFunction: a stopped execution (the EventBridge rule for ABORTED)', () => {
  const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:inc-1';
  const stopped = { IncidentId: 'inc-1', Reason: 'WORKFLOW_STOPPED', ExecutionArn: executionArn };
  const waiting = {
    ...incident,
    executionArn,
    Exams: [{ ExamId: 'e-1', Deadline: 'x', Result: null, Score: null, TaskToken: 'secret-1' }],
  };
  beforeEach(() => ddb.on(GetCommand).resolves({ Item: waiting }));

  it("marks the execution's open incident ADMIN_ACTION_REQUIRED and tells the administrators it was stopped", async () => {
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const result = await handler(stopped, context);

    expect(result).toEqual({ IncidentId: 'inc-1', Status: 'ADMIN_ACTION_REQUIRED', Reason: 'WORKFLOW_STOPPED' });
    expect(markedIncident()).toMatchObject({
      Key: { IncidentId: 'inc-1' },
      UpdateExpression:
        'SET #status = :status, StatusPartition = :partition, UpdatedAt = :now, CountedStatus = :counted',
      ConditionExpression: '(#status IN (:scheduled, :status)) AND attribute_not_exists(CountedStatus)',
      ExpressionAttributeValues: {
        ':status': 'ADMIN_ACTION_REQUIRED',
        ':partition': 'ADMIN_ACTION_REQUIRED#1',
        ':scheduled': 'EXAM_SCHEDULED',
        ':now': '2030-03-01T09:30:00.000Z',
        ':counted': 'ADMIN_ACTION_REQUIRED',
      },
    });
    const message = ses.commandCalls(SendEmailCommand)[0].args[0].input.Message!;
    expect(message.Subject!.Data).toBe('Action required: plagiarism incident inc-1');
    expect(message.Body!.Text!.Data).toContain(
      "The plagiarism workflow of incident inc-1 was stopped (StopExecution) before it finished, so the incident needs manual handling: the student's exam is closed and the case will not go on by itself.",
    );
    expect(message.Body!.Text!.Data).toContain(`Stopped execution: ${executionArn}`);
    expect(message.Body!.Text!.Data).toContain('Exam 1: pending');
    expect(addMetric).toHaveBeenCalledWith('AdminActionsWorkflowStopped', 'Count', 1);
  });

  it.each([
    [
      'another execution owns the incident (its IncidentId reused)',
      { Item: { ...waiting, executionArn: `${executionArn}-other` } },
    ],
    ['the execution registered no incident (stopped before RegisterIncident)', {}],
  ])('changes nothing and emails nobody when %s, without failing (no retry)', async (_case, stored) => {
    ddb.on(GetCommand).resolves(stored);

    await expect(handler(stopped, context)).resolves.toMatchObject({ IncidentId: 'inc-1', Reason: 'WORKFLOW_STOPPED' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('leaves a resolved incident as it is (the stop came after its last step), uncounted, and emails nobody', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    ddb.on(UpdateCommand).rejects(conditionFailed());

    await expect(handler(stopped, context)).resolves.toEqual({
      IncidentId: 'inc-1',
      Status: 'RESOLVED',
      Reason: 'WORKFLOW_STOPPED',
    });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });
});
