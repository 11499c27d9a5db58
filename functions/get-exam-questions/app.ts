/**
 * GetExamQuestionsFunction: `GET /exam/questions` (Lambda proxy): the exam's questions, without the answers.
 * Given a Testing Centre link's IncidentId, ExamId and TaskToken as query parameters, it also answers who the
 * exam is for and its deadline (`Exam`), once the token proves the caller holds that link and unless the exam
 * expired unanswered (410 ExamExpired) or no workflow waits for it any more (410 ExamClosed), as POST /exam answers
 * them; a submitted exam answers with its `Result`.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { assertOpenToLinkHolder, findExam } from '../shared/plagiarism/exam-access';
import { observedHandler } from '../shared/infrastructure/handler';
import { httpErrors, jsonResponse } from '../shared/infrastructure/http';
import { maxExams } from '../shared/plagiarism/incident';
import { publicQuestions } from '../shared/plagiarism/question-bank';
import { identifier, parseInput } from '../shared/infrastructure/validation';

const examLink = z.object({
  IncidentId: identifier(128),
  ExamId: identifier(128),
  TaskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
});

async function getExamQuestions(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const query = event.queryStringParameters ?? {};
  const isLink = ['IncidentId', 'ExamId', 'TaskToken'].some((name) => query[name] !== undefined);
  if (!isLink) return jsonResponse(200, { Questions: publicQuestions() });

  const link = parseInput(examLink, query);
  const { incident, examIndex } = await findExam(link.IncidentId, link.ExamId);
  const exam = incident.Exams[examIndex];
  assertOpenToLinkHolder(incident, exam, link.TaskToken);
  return jsonResponse(200, {
    Questions: publicQuestions(),
    Exam: {
      IncidentId: incident.IncidentId,
      ExamId: exam.ExamId,
      StudentName: incident.StudentName,
      Deadline: exam.Deadline,
      Result: exam.Result ?? null,
      AttemptsRemaining: Math.max(0, maxExams - incident.Exams.length),
    },
  });
}

export const handler = observedHandler(getExamQuestions).use(httpErrors());
