/** GetExamQuestionsFunction: `GET /exam/questions` (Lambda proxy): the exam's questions, without the answers. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { observedHandler } from '../shared/handler';
import { httpErrors, jsonResponse } from '../shared/http';
import { publicQuestions } from '../shared/question-bank';

async function getExamQuestions(): Promise<APIGatewayProxyResult> {
  return jsonResponse(200, { Questions: publicQuestions() });
}

export const handler = observedHandler(getExamQuestions).use(httpErrors());
