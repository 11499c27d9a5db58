import './support/setup';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/schedule-exam/app';
import { metrics } from '../../functions/shared/infrastructure/metrics';
import { freezeClock, lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('ScheduleExamFunction');

const incident = {
  IncidentId: 'inc-1',
  StudentId: 's-1',
  StudentName: 'Grace Hopper',
  StudentEmail: 'grace@example.edu',
  IncidentDate: '2030-02-20',
  Status: 'EXAM_SCHEDULED',
  Exams: [] as object[],
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:inc-1',
  CreatedAt: '2030-02-21T00:00:00.000Z',
  UpdatedAt: '2030-02-21T00:00:00.000Z',
};

const failedExam = {
  ExamId: 'e-old',
  Deadline: '2030-02-28T00:00:00.000Z',
  Result: 'FAILED',
  Score: 40,
  SubmittedAt: '2030-02-27T00:00:00.000Z',
};

function conditionFailed() {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

beforeEach(() => {
  ddb.reset();
  ddb.on(UpdateCommand).resolves({});
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

describe('ScheduleExamFunction', () => {
  it('prepends a new exam due in 7 days, conditional on the exam count, and returns it', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [failedExam] } });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const result = await handler({ IncidentId: 'inc-1' }, context);

    expect(result).toEqual({
      IncidentId: 'inc-1',
      ExamId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      Deadline: '2030-03-08T09:30:00.000Z',
      ExamCount: 2,
      StudentName: 'Grace Hopper',
      StudentEmail: 'grace@example.edu',
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'IncidentsTable',
      Key: { IncidentId: 'inc-1' },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'IncidentsTable',
      Key: { IncidentId: 'inc-1' },
      UpdateExpression:
        'SET Exams = list_append(:exam, if_not_exists(Exams, :none)), #status = :scheduled, StatusPartition = :partition, UpdatedAt = :now',
      // Not counted among the incidents needing action (else it leaves that count: below).
      ConditionExpression:
        '(attribute_exists(IncidentId) AND size(Exams) = :count) AND attribute_not_exists(CountedStatus)',
      ExpressionAttributeValues: {
        ':exam': [{ ExamId: result.ExamId, Deadline: '2030-03-08T09:30:00.000Z', Result: null, Score: null }],
        ':none': [],
        ':count': 1,
        ':scheduled': 'EXAM_SCHEDULED',
        ':partition': 'EXAM_SCHEDULED#1',
        ':now': '2030-03-01T09:30:00.000Z',
      },
    });
    expect(addMetric).toHaveBeenCalledWith('ExamsScheduled', 'Count', 1);
  });

  it('schedules the first exam of a freshly registered incident', async () => {
    ddb.on(GetCommand).resolves({ Item: incident });

    const result = await handler({ IncidentId: 'inc-1' }, context);

    expect(result.ExamCount).toBe(1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression:
        '(attribute_exists(IncidentId) AND (attribute_not_exists(Exams) OR size(Exams) = :count)) AND attribute_not_exists(CountedStatus)',
      ExpressionAttributeValues: expect.objectContaining({ ':count': 0 }),
    });
  });

  it('takes an incident that needed action (a redriven run goes on to a new exam) out of that count, atomically', async () => {
    ddb.on(GetCommand).resolves({
      Item: { ...incident, Status: 'ADMIN_ACTION_REQUIRED', CountedStatus: 'ADMIN_ACTION_REQUIRED' },
    });
    ddb.on(TransactWriteCommand).resolves({});

    await expect(handler({ IncidentId: 'inc-1' }, context)).resolves.toMatchObject({ ExamCount: 1 });

    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    const [{ Update: marked }, { Update: counter }] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input
      .TransactItems as { Update: Record<string, unknown> }[];
    expect(marked).toMatchObject({
      Key: { IncidentId: 'inc-1' },
      UpdateExpression:
        'SET Exams = list_append(:exam, if_not_exists(Exams, :none)), #status = :scheduled, StatusPartition = :partition, UpdatedAt = :now REMOVE CountedStatus',
      ConditionExpression:
        '(attribute_exists(IncidentId) AND (attribute_not_exists(Exams) OR size(Exams) = :count)) AND attribute_exists(CountedStatus)',
    });
    expect(counter).toEqual({
      TableName: 'IncidentCountsTable',
      Key: { Status: 'ADMIN_ACTION_REQUIRED' },
      UpdateExpression: 'ADD IncidentCount :delta',
      ExpressionAttributeValues: { ':delta': -1 },
    });
  });

  it('returns the pending exam again when a retried invocation already scheduled it', async () => {
    const pending = { ExamId: 'e-new', Deadline: '2030-03-08T09:00:00.000Z', Result: null, Score: null };
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [pending, failedExam] } });

    const result = await handler({ IncidentId: 'inc-1' }, context);

    expect(result).toMatchObject({ ExamId: 'e-new', Deadline: '2030-03-08T09:00:00.000Z', ExamCount: 2 });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('re-reads after losing a race to a concurrent attempt and returns the exam that one added', async () => {
    const pending = { ExamId: 'e-concurrent', Deadline: '2030-03-08T09:29:00.000Z', Result: null, Score: null };
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { ...incident, Exams: [failedExam] } })
      .resolves({ Item: { ...incident, Exams: [pending, failedExam] } });
    ddb.on(UpdateCommand).rejects(conditionFailed());

    const result = await handler({ IncidentId: 'inc-1' }, context);

    expect(result.ExamId).toBe('e-concurrent');
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });

  it('throws StudentExceededAllowableExamRetries when 3 exams exist, changing nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [failedExam, failedExam, failedExam] } });

    await expect(handler({ IncidentId: 'inc-1' }, context)).rejects.toMatchObject({
      name: 'StudentExceededAllowableExamRetries',
      message: 'The student of incident inc-1 has already taken the maximum of 3 exams.',
    });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('throws IncidentNotFound for an unknown incident', async () => {
    ddb.on(GetCommand).resolves({});

    await expect(handler({ IncidentId: 'nope' }, context)).rejects.toMatchObject({ name: 'IncidentNotFound' });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('gives up with an error when the exams keep changing under it', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [failedExam] } });
    ddb.on(UpdateCommand).rejects(conditionFailed());

    await expect(handler({ IncidentId: 'inc-1' }, context)).rejects.toThrow('kept changing');
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 3);
  });

  it('rejects an event without IncidentId', async () => {
    await expect(handler({}, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Invalid request: IncidentId is required',
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});
