import './support/setup';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import bank from '../../data/exam-questions.json';
import { handler } from '../../functions/get-exam-questions/app';
import { freezeClock, lambdaContext, proxyEvent } from './support/lambda';

const context = lambdaContext('GetExamQuestionsFunction');
const ddb = mockClient(DynamoDBDocumentClient);

const token = 'AAAA-token-issued-for-e-2';
const pending = { ExamId: 'e-2', Deadline: '2030-03-08T09:30:00.000Z', Result: null, Score: null, TaskToken: token };
const failed = { ExamId: 'e-1', Deadline: '2030-02-28T00:00:00.000Z', Result: 'FAILED', Score: 25, TaskToken: 'old' };
const incident = {
  IncidentId: 'inc-1',
  StudentName: 'Grace <b>Hopper</b>',
  Status: 'EXAM_SCHEDULED',
  Exams: [pending, failed],
};
const publicQuestions = bank.map(({ QuestionId, Text, Choices }) => ({ QuestionId, Text, Choices }));

function getQuestions(query: Record<string, string> | null) {
  return handler(
    proxyEvent({
      httpMethod: 'GET',
      resource: '/exam/questions',
      path: '/exam/questions',
      queryStringParameters: query,
    }),
    context,
  );
}
const link = (overrides: object = {}) => ({ IncidentId: 'inc-1', ExamId: 'e-2', TaskToken: token, ...overrides });

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({ Item: incident });
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

describe('GetExamQuestionsFunction', () => {
  it('answers 200 with every question and its choices, but none of the answers', async () => {
    const response = await handler(
      proxyEvent({ httpMethod: 'GET', resource: '/exam/questions', path: '/exam/questions' }),
      context,
    );

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' });
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      Questions: bank.map(({ QuestionId, Text, Choices }) => ({ QuestionId, Text, Choices })),
    });
    expect(response.body).not.toContain('"Answer"');
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it("with a link's parameters, also answers who the exam is for, its deadline and the attempts left", async () => {
    const response = await getQuestions(link());

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      Questions: publicQuestions,
      Exam: {
        IncidentId: 'inc-1',
        ExamId: 'e-2',
        StudentName: 'Grace <b>Hopper</b>',
        Deadline: pending.Deadline,
        Result: null,
        AttemptsRemaining: 1,
      },
    });
    expect(response.body).not.toContain(token);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'IncidentsTable', Key: { IncidentId: 'inc-1' } });
  });

  it('tells an already submitted exam by its Result, so the page can say so before the student starts', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...incident, Exams: [{ ...pending, Result: 'PASSED', Score: 90 }, failed] } });

    const body = JSON.parse((await getQuestions(link())).body);

    expect(body.Exam.Result).toBe('PASSED');
  });

  it.each([
    ['a token that is not the one issued', link({ TaskToken: 'forged' }), 403, 'InvalidToken'],
    ["another exam's token", link({ ExamId: 'e-1' }), 403, 'InvalidToken'],
    ['an unknown exam', link({ ExamId: 'e-9' }), 404, 'ExamNotFound'],
    ['only some of the link parameters', { IncidentId: 'inc-1' }, 400, 'ValidationError'],
  ])('refuses %s with %i %s and tells nothing about the exam', async (_case, query, status, error) => {
    const response = await getQuestions(query);

    expect(response.statusCode).toBe(status);
    const body = JSON.parse(response.body);
    expect(body.error).toBe(error);
    expect(body.Exam).toBeUndefined();
    expect(body.Questions).toBeUndefined();
  });

  it('answers 410 ExamExpired for an exam the workflow recorded as not sat (its token is gone)', async () => {
    const { TaskToken: _gone, ...notSat } = { ...pending, Result: 'NOT_SAT' };
    ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [notSat, failed] } });

    const response = await getQuestions(link());

    expect(response.statusCode).toBe(410);
    expect(JSON.parse(response.body).error).toBe('ExamExpired');
  });

  it.each([
    ['its execution was stopped and the administrators took over', { Status: 'ADMIN_ACTION_REQUIRED' }, pending],
    [
      'the workflow closed it (a callback without a recorded result) and removed its token',
      { Status: 'ADMIN_ACTION_REQUIRED' },
      { ...pending, TaskToken: undefined, ClosedReason: 'ExamResultNotRecorded' },
    ],
  ])('answers 410 ExamClosed for an unanswered exam when %s', async (_case, incidentFields, exam) => {
    ddb.on(GetCommand).resolves({ Item: { ...incident, ...incidentFields, Exams: [exam, failed] } });

    const response = await getQuestions(link());

    expect(response.statusCode).toBe(410);
    expect(JSON.parse(response.body)).toEqual({ error: 'ExamClosed', message: expect.stringContaining('closed') });
  });

  describe("once the deadline has passed, by the function's own clock (before the workflow records NOT_SAT)", () => {
    const expired = { ...pending, Deadline: '2030-03-01T09:29:59.999Z' };
    beforeEach(() => ddb.on(GetCommand).resolves({ Item: { ...incident, Exams: [expired, failed] } }));

    it('answers an unanswered exam 410 ExamExpired, as POST /exam does, and tells nothing about it', async () => {
      const response = await getQuestions(link());

      expect(response.statusCode).toBe(410);
      expect(JSON.parse(response.body)).toEqual({ error: 'ExamExpired', message: expect.any(String) });
    });

    it('checks the token first: a forged token learns only that it is not valid', async () => {
      const response = await getQuestions(link({ TaskToken: 'forged' }));

      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body).error).toBe('InvalidToken');
    });

    it('still answers a submitted exam with its Result, so the page can say it was submitted', async () => {
      ddb
        .on(GetCommand)
        .resolves({ Item: { ...incident, Exams: [{ ...expired, Result: 'FAILED', Score: 50 }, failed] } });

      const response = await getQuestions(link());

      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body).Exam).toMatchObject({
        ExamId: 'e-2',
        Deadline: expired.Deadline,
        Result: 'FAILED',
      });
    });
  });

  it('names the missing field of an incomplete link', async () => {
    const body = JSON.parse((await getQuestions({ IncidentId: 'inc-1', ExamId: 'e-2' })).body);

    expect(body.message).toContain('TaskToken');
  });
});

describe('data/exam-questions.json', () => {
  it('holds at least 9 multiple-choice questions with unique ids and an answer among the choices', () => {
    expect(bank.length).toBeGreaterThanOrEqual(9);
    expect(new Set(bank.map((q) => q.QuestionId)).size).toBe(bank.length);
    for (const question of bank) {
      expect(question.Text.trim()).not.toBe('');
      expect(Object.keys(question.Choices)).toEqual(['a', 'b', 'c', 'd']);
      expect(Object.keys(question.Choices)).toContain(question.Answer);
      expect(new Set(Object.values(question.Choices)).size).toBe(4);
    }
  });
});
