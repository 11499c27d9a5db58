import './support/setup';
import bank from '../../data/exam-questions.json';
import { handler } from '../../functions/get-exam-questions/app';
import { lambdaContext, proxyEvent } from './support/lambda';

const context = lambdaContext('GetExamQuestionsFunction');

describe('GetExamQuestionsFunction', () => {
  it('answers 200 with every question and its choices, but none of the answers', async () => {
    const response = await handler(proxyEvent({ httpMethod: 'GET', resource: '/exam/questions', path: '/exam/questions' }), context);

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' });
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      Questions: bank.map(({ QuestionId, Text, Choices }) => ({ QuestionId, Text, Choices })),
    });
    expect(response.body).not.toContain('"Answer"');
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
