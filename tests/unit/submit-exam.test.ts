import './support/setup';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import bank from '../../data/exam-questions.json';
import { handler } from '../../functions/submit-exam/app';
import { answersHash } from '../../functions/submit-exam/exam-record';
import { metrics } from '../../functions/shared/infrastructure/metrics';
import { freezeClock, lambdaContext, proxyEvent } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const context = lambdaContext('SubmitExamFunction');

const token = 'AAAA-token-issued-for-e-2';
const pending = { ExamId: 'e-2', Deadline: '2030-03-08T09:30:00.000Z', Result: null, Score: null, TaskToken: token };
const failed = { ExamId: 'e-1', Deadline: '2030-02-28T00:00:00.000Z', Result: 'FAILED', Score: 25, TaskToken: 'old' };
const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:inc-1';
const incident = {
  IncidentId: 'inc-1',
  StudentName: 'Grace',
  Status: 'EXAM_SCHEDULED',
  executionArn,
  Exams: [pending, failed],
};

const correct = Object.fromEntries(bank.map((q) => [q.QuestionId, q.Answer]));
const wrongChoice = (answer: string) => (answer === 'a' ? 'b' : 'a');
/** Answers with the first `right` questions correct and the rest wrong. */
function answers(right: number) {
  return Object.fromEntries(bank.map((q, index) => [q.QuestionId, index < right ? q.Answer : wrongChoice(q.Answer)]));
}

function submit(body: unknown, raw?: string) {
  return handler(
    proxyEvent({ httpMethod: 'POST', resource: '/exam', path: '/exam', body: raw ?? JSON.stringify(body) }),
    context,
  );
}
const submission = (overrides: object = {}) => ({
  IncidentId: 'inc-1',
  ExamId: 'e-2',
  TaskToken: token,
  Answers: correct,
  ...overrides,
});

function parsed(response: { statusCode: number; body: string; headers?: unknown }) {
  return { statusCode: response.statusCode, body: JSON.parse(response.body) };
}
const taskTimedOut = () => new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });

function conditionFailed() {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({ Item: incident });
  ddb.on(UpdateCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

describe('SubmitExamFunction', () => {
  it('scores on the server, records the result conditionally, then sends it to the workflow', async () => {
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const response = await submit(submission());

    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' });
    expect(parsed(response)).toEqual({
      statusCode: 200,
      body: { IncidentId: 'inc-1', ExamId: 'e-2', Score: 100, Passed: true, AttemptsRemaining: 1 },
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'IncidentsTable',
      Key: { IncidentId: 'inc-1' },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'IncidentsTable',
      Key: { IncidentId: 'inc-1' },
      UpdateExpression:
        'SET Exams[0].#result = :result, Exams[0].#score = :score, Exams[0].SubmittedAt = :submittedAt, Exams[0].AnswersHash = :answersHash, UpdatedAt = :submittedAt',
      ConditionExpression:
        'Exams[0].ExamId = :examId AND Exams[0].TaskToken = :token AND ' +
        '(attribute_not_exists(Exams[0].#result) OR attribute_type(Exams[0].#result, :null))',
      ExpressionAttributeNames: { '#result': 'Result', '#score': 'Score' },
      ExpressionAttributeValues: {
        ':result': 'PASSED',
        ':score': 100,
        ':submittedAt': '2030-03-01T09:30:00.000Z',
        ':answersHash': answersHash(correct),
        ':examId': 'e-2',
        ':token': token,
        ':null': 'NULL',
      },
    });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input;
    expect(sent.taskToken).toBe(token);
    expect(JSON.parse(sent.output!)).toEqual({ IncidentId: 'inc-1', ExamId: 'e-2', Score: 100, Result: 'PASSED' });
    expect(addMetric).toHaveBeenCalledWith('ExamsPassed', 'Count', 1);
    // The record is written before the workflow hears of it.
    expect(ddb.commandCalls(UpdateCommand)[0].calledBefore(sfn.commandCalls(SendTaskSuccessCommand)[0])).toBe(true);
  });

  it.each([
    [8, 67, true, 'PASSED'],
    [7, 58, false, 'FAILED'],
    [0, 0, false, 'FAILED'],
  ])('with %i of 12 right scores %i (passed: %s)', async (right, score, passed, result) => {
    const response = await submit(submission({ Answers: answers(right) }));

    expect(parsed(response).body).toMatchObject({ Score: score, Passed: passed });
    expect(JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input.output!)).toMatchObject({
      Score: score,
      Result: result,
    });
  });

  it('counts unanswered questions as wrong and reports no attempts left after the third exam', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [pending, failed, failed] } });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    const response = await submit(submission({ Answers: { q1: correct.q1, q2: correct.q2, q3: correct.q3 } }));

    expect(parsed(response).body).toEqual({
      IncidentId: 'inc-1',
      ExamId: 'e-2',
      Score: 25,
      Passed: false,
      AttemptsRemaining: 0,
    });
    expect(addMetric).toHaveBeenCalledWith('ExamsFailed', 'Count', 1);
  });

  it.each([
    ['a body that is not JSON', undefined, '{"IncidentId":', 'The request body is not valid JSON'],
    ['a missing token', submission({ TaskToken: undefined }), undefined, 'TaskToken is required'],
    ['answers that are not choices', submission({ Answers: { q1: 7 } }), undefined, 'Answers.q1'],
    ['an unknown question', submission({ Answers: { q99: 'a' } }), undefined, 'Answers.q99: there is no such question'],
    [
      'a choice the question does not have',
      submission({ Answers: { q1: 'z' } }),
      undefined,
      'Answers.q1: "z" is not one of the choices',
    ],
  ])('answers 400 ValidationError for %s, changing nothing', async (_case, body, raw, message) => {
    const response = parsed(await submit(body, raw));

    expect(response).toEqual({
      statusCode: 400,
      body: { error: 'ValidationError', message: expect.stringContaining(message) },
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 400 without a body', async () => {
    const response = await handler(proxyEvent({ httpMethod: 'POST', body: null }), context);

    expect(parsed(response)).toEqual({
      statusCode: 400,
      body: { error: 'ValidationError', message: 'The request body is required' },
    });
  });

  it('decodes a base64-encoded body', async () => {
    const body = Buffer.from(JSON.stringify(submission())).toString('base64');
    const response = await handler(proxyEvent({ httpMethod: 'POST', body, isBase64Encoded: true }), context);

    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['an unknown incident', {}, submission()],
    ['an exam the incident does not have', { Item: incident }, submission({ ExamId: 'e-9' })],
  ])('answers 404 ExamNotFound for %s', async (_case, stored, body) => {
    ddb.on(GetCommand).resolves(stored);

    const response = parsed(await submit(body));

    expect(response).toEqual({ statusCode: 404, body: { error: 'ExamNotFound', message: expect.any(String) } });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it.each([
    ['another token', token.replace('e-2', 'e-1')],
    ['a token of different length', `${token}x`],
    ['the token of an older exam', 'old'],
  ])('answers 403 InvalidToken for %s', async (_case, presented) => {
    const response = parsed(await submit(submission({ TaskToken: presented })));

    expect(response).toEqual({ statusCode: 403, body: { error: 'InvalidToken', message: expect.any(String) } });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('answers 403 InvalidToken while the exam has no token yet', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [{ ...pending, TaskToken: undefined }] } });

    expect(parsed(await submit(submission())).statusCode).toBe(403);
  });

  it.each([
    ['410 ExamExpired once the exam is recorded NOT_SAT', { Result: 'NOT_SAT' }, 410, 'ExamExpired'],
    [
      '410 ExamExpired for NOT_SAT, whose token the workflow removed',
      { Result: 'NOT_SAT', TaskToken: undefined },
      410,
      'ExamExpired',
    ],
    ['410 ExamExpired after the deadline', { Deadline: '2030-03-01T09:29:59.999Z' }, 410, 'ExamExpired'],
  ])('answers %s', async (_case, exam, statusCode, error) => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [{ ...pending, ...exam }, failed] } });

    const response = parsed(await submit(submission()));

    expect(response).toEqual({ statusCode, body: { error, message: expect.any(String) } });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('answers 410 when the workflow recorded NOT_SAT first, without calling Step Functions', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: incident })
      .resolves({ Item: { ...incident, Exams: [{ ...pending, Result: 'NOT_SAT' }, failed] } });
    ddb.on(UpdateCommand).rejects(conditionFailed());

    const response = parsed(await submit(submission()));

    expect(response).toEqual({ statusCode: 410, body: { error: 'ExamExpired', message: expect.any(String) } });
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it.each([
    ['the same answers: the same 200 as the winner', correct, 200],
    ['other answers: 409 ExamAlreadySubmitted', answers(2), 409],
  ])(
    'when a concurrent submission recorded its result first, delivers that result again and answers %s',
    async (_case, given, statusCode) => {
      const winner = { ...pending, Result: 'PASSED', Score: 100, AnswersHash: answersHash(correct) };
      ddb
        .on(GetCommand)
        .resolvesOnce({ Item: incident })
        .resolves({ Item: { ...incident, Exams: [winner, failed] } });
      ddb.on(UpdateCommand).rejects(conditionFailed());

      const response = parsed(await submit(submission({ Answers: given })));

      expect(response.statusCode).toBe(statusCode);
      if (statusCode === 200)
        expect(response.body).toEqual({
          IncidentId: 'inc-1',
          ExamId: 'e-2',
          Score: 100,
          Passed: true,
          AttemptsRemaining: 1,
        });
      else expect(response.body).toEqual({ error: 'ExamAlreadySubmitted', message: expect.any(String) });
      // The recorded result (the winner's), not this request's.
      const sent = sfn.commandCalls(SendTaskSuccessCommand).map((call) => JSON.parse(call.args[0].input.output!));
      expect(sent).toEqual([{ IncidentId: 'inc-1', ExamId: 'e-2', Score: 100, Result: 'PASSED' }]);
      expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    },
  );

  it('answers 200 and keeps its record when the task is no longer open but the execution runs on: the workflow has the result, or takes it from the record at its deadline', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(taskTimedOut());

    const response = parsed(await submit(submission()));

    expect(response).toEqual({
      statusCode: 200,
      body: { IncidentId: 'inc-1', ExamId: 'e-2', Score: 100, Passed: true, AttemptsRemaining: 1 },
    });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });

  it('answers 410 ExamClosed and withdraws its record when the execution was stopped (ABORTED)', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(taskTimedOut());
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });

    const response = parsed(await submit(submission()));

    expect(response).toEqual({
      statusCode: 410,
      body: { error: 'ExamClosed', message: expect.stringContaining('was stopped') },
    });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).toHaveReceivedNthSpecificCommandWith(2, UpdateCommand, {
      UpdateExpression:
        'SET Exams[0].#result = :none, Exams[0].#score = :none, UpdatedAt = :now REMOVE Exams[0].SubmittedAt, Exams[0].AnswersHash',
      ConditionExpression:
        'Exams[0].ExamId = :examId AND Exams[0].SubmittedAt = :submittedAt AND Exams[0].#result = :result',
      ExpressionAttributeValues: {
        ':none': null,
        ':now': '2030-03-01T09:30:00.000Z',
        ':examId': 'e-2',
        ':submittedAt': '2030-03-01T09:30:00.000Z',
        ':result': 'PASSED',
      },
    });
  });

  it('keeps a NOT_SAT the workflow wrote meanwhile, withdrawing only its score, time and answers', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(taskTimedOut());
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).resolves({});

    expect(parsed(await submit(submission())).statusCode).toBe(410);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 3);
    expect(ddb).toHaveReceivedNthSpecificCommandWith(3, UpdateCommand, {
      UpdateExpression:
        'SET Exams[0].#score = :none, UpdatedAt = :now REMOVE Exams[0].SubmittedAt, Exams[0].AnswersHash',
      ConditionExpression: 'Exams[0].ExamId = :examId AND Exams[0].SubmittedAt = :submittedAt',
      ExpressionAttributeNames: { '#score': 'Score' },
    });
  });

  it('answers 403 InvalidToken and withdraws its record when Step Functions rejects the token', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new InvalidToken({ message: 'Invalid Token', $metadata: {} }));

    const response = parsed(await submit(submission()));

    expect(response).toEqual({ statusCode: 403, body: { error: 'InvalidToken', message: expect.any(String) } });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
  });

  it('still answers with the refusal when the withdrawal itself fails', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(taskTimedOut());
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    ddb.on(UpdateCommand).resolvesOnce({}).rejects(new Error('DynamoDB unavailable'));

    expect(parsed(await submit(submission())).statusCode).toBe(410);
  });

  it('answers 500 and keeps the record when Step Functions fails in a way that may have delivered the result', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(
        new SFNServiceException({ name: 'ServiceUnavailable', $fault: 'server', message: 'try later', $metadata: {} }),
      );

    const response = parsed(await submit(submission()));

    expect(response).toEqual({ statusCode: 500, body: { error: 'InternalServerError', message: expect.any(String) } });
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });

  it('answers 410 ExamClosed for an unanswered exam of an incident no workflow waits on any more, changing nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Status: 'ADMIN_ACTION_REQUIRED' } });

    const response = parsed(await submit(submission()));

    expect(response).toEqual({ statusCode: 410, body: { error: 'ExamClosed', message: expect.any(String) } });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('SubmitExamFunction: the same submission sent again (exactly once)', () => {
  const recorded = {
    ...pending,
    Result: 'PASSED',
    Score: 100,
    SubmittedAt: '2030-03-01T09:00:00.000Z',
    AnswersHash: answersHash(correct),
  };
  const first = { IncidentId: 'inc-1', ExamId: 'e-2', Score: 100, Passed: true, AttemptsRemaining: 1 };

  beforeEach(() => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [recorded, failed] } });
  });

  it('delivers the recorded result again (its first SendTaskSuccess may have failed) and answers as the first did', async () => {
    // Same answers in another order: the same submission.
    const reordered = Object.fromEntries(Object.entries(correct).reverse());

    const response = parsed(await submit(submission({ Answers: reordered })));

    expect(response).toEqual({ statusCode: 200, body: first });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input;
    expect(sent.taskToken).toBe(token);
    expect(JSON.parse(sent.output!)).toEqual({ IncidentId: 'inc-1', ExamId: 'e-2', Score: 100, Result: 'PASSED' });
  });

  it('answers as the first did when the first delivery had arrived (the task is closed, the execution runs on)', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(taskTimedOut());

    expect(parsed(await submit(submission()))).toEqual({ statusCode: 200, body: first });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('answers past the deadline too: the result was recorded before it', async () => {
    ddb.on(GetCommand).resolves({
      Item: { ...incident, Exams: [{ ...recorded, Deadline: '2030-03-01T09:29:59.999Z' }, failed] },
    });

    expect(parsed(await submit(submission()))).toEqual({ statusCode: 200, body: first });
  });

  it('answers 410 ExamClosed, withdrawing nothing, when the execution was stopped before the result reached it', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(taskTimedOut());
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });

    expect(parsed(await submit(submission()))).toEqual({
      statusCode: 410,
      body: { error: 'ExamClosed', message: expect.any(String) },
    });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('does not deliver an exam the workflow has moved past (a newer exam exists, or the incident left EXAM_SCHEDULED)', async () => {
    const next = { ...pending, ExamId: 'e-3', TaskToken: 'newer' };
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [next, recorded, failed] } });
    expect(parsed(await submit(submission()))).toEqual({ statusCode: 200, body: first });

    ddb.on(GetCommand).resolves({ Item: { ...incident, Status: 'RESOLVED', Exams: [recorded, failed] } });
    expect(parsed(await submit(submission()))).toEqual({ statusCode: 200, body: first });

    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses other answers with 409 ExamAlreadySubmitted, after delivering the recorded result', async () => {
    const response = parsed(await submit(submission({ Answers: answers(2) })));

    expect(response).toEqual({ statusCode: 409, body: { error: 'ExamAlreadySubmitted', message: expect.any(String) } });
    expect(JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input.output!)).toMatchObject({
      Result: 'PASSED',
      Score: 100,
    });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});
