/**
 * SubmitExamFunction: `POST /exam` (Lambda proxy, no API key: the task token is the credential). Scores the
 * answers on the server, records the result and hands it to the waiting plagiarism workflow (SendTaskSuccess).
 */
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { sfn } from '../shared/infrastructure/clients';
import { ExamAlreadySubmitted, ExamExpired, InvalidExamToken } from '../shared/plagiarism/errors';
import { assertOpenToLinkHolder, findExam } from '../shared/plagiarism/exam-access';
import { observedHandler } from '../shared/infrastructure/handler';
import { httpErrors, jsonResponse, parseJsonBody } from '../shared/infrastructure/http';
import { maxExams, type Exam } from '../shared/plagiarism/incident';
import { logger } from '../shared/infrastructure/logger';
import { countMetric, publishMetrics } from '../shared/infrastructure/metrics';
import { scoreAnswers } from '../shared/plagiarism/question-bank';
import { identifier, parseInput } from '../shared/infrastructure/validation';
import { recordResult, withdrawResult, type ExamSubmission } from './exam-record';

const submissionBody = z.object({
  IncidentId: identifier(128),
  ExamId: identifier(128),
  TaskToken: z.string().min(1).max(8192),
  Answers: z.record(z.string(), z.string()),
});

async function submitExam(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const body = parseInput(submissionBody, parseJsonBody(event));
  const { score, passed } = scoreAnswers(body.Answers);
  const { incident, examIndex } = await findExam(body.IncidentId, body.ExamId);
  assertSubmittable(incident.Exams[examIndex], body.TaskToken);

  const submission: ExamSubmission = {
    incidentId: body.IncidentId,
    examIndex,
    examId: body.ExamId,
    taskToken: body.TaskToken,
    result: passed ? 'PASSED' : 'FAILED',
    score,
    submittedAt: new Date().toISOString(),
  };
  // Order: record first (conditionally), then tell the workflow, and withdraw the record if the workflow refuses.
  // Recording first means that of two concurrent submissions only one reaches Step Functions, and that the result
  // is stored before the workflow moves on (a FAILED result schedules the next exam right away, and ScheduleExam
  // relies on the previous exam having its result). Calling Step Functions first could instead leave the workflow
  // with a result the table never got.
  if (!(await recordResult(submission))) {
    // Someone else changed the exam since we read it: say why, from what is stored now.
    const current = await findExam(body.IncidentId, body.ExamId);
    assertSubmittable(current.incident.Exams[current.examIndex], body.TaskToken);
    throw new ExamAlreadySubmitted('This exam has already been submitted.');
  }
  await handOverToWorkflow(submission);

  countMetric(passed ? 'ExamsPassed' : 'ExamsFailed');
  return jsonResponse(200, {
    IncidentId: body.IncidentId,
    ExamId: body.ExamId,
    Score: score,
    Passed: passed,
    AttemptsRemaining: Math.max(0, maxExams - incident.Exams.length),
  });
}

/** Only the link's holder learns about the exam's state, so the token is checked before anything else. */
function assertSubmittable(exam: Exam, taskToken: string): void {
  assertOpenToLinkHolder(exam, taskToken);
  if (exam.Result != null) throw new ExamAlreadySubmitted('This exam has already been submitted.');
}

/** SendTaskSuccess with the workflow's expected output; a refusal withdraws the recorded result. */
async function handOverToWorkflow(submission: ExamSubmission): Promise<void> {
  const output = {
    IncidentId: submission.incidentId,
    ExamId: submission.examId,
    Score: submission.score,
    Result: submission.result,
  };
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken: submission.taskToken, output: JSON.stringify(output) }));
  } catch (error) {
    // Only a definite refusal (a client fault such as TaskTimedOut) proves the workflow did not take the result.
    // After a server or network failure it may have: keep the record rather than contradict the workflow.
    if ((error as { $fault?: string }).$fault !== 'client') throw error;
    try {
      await withdrawResult(submission);
    } catch (withdrawError) {
      logger.error('Could not withdraw a result the workflow refused', {
        submission: { ...submission, taskToken: undefined },
        withdrawError,
      });
    }
    throw refusal(error as Error);
  }
}

function refusal(error: Error): Error {
  switch (error.name) {
    case 'TaskTimedOut':
    case 'TaskDoesNotExist':
      return new ExamExpired('The time for this exam is over, so the answers can no longer be accepted.');
    case 'InvalidToken':
      return new InvalidExamToken('This link is not valid for this exam. Please use the link from your latest email.');
    default:
      return error;
  }
}

export const handler = observedHandler(submitExam).use(publishMetrics()).use(httpErrors());
