/**
 * SubmitExamFunction: `POST /exam` (Lambda proxy, no API key: the task token is the credential). Scores the
 * answers on the server, records the result and hands it to the waiting plagiarism workflow (SendTaskSuccess).
 *
 * Exactly once. The result is recorded first (conditionally: the exam has none yet and still carries this token),
 * then delivered. The workflow takes the result from that record, not from what SendTaskSuccess carries
 * (statemachine/plagiarism.asl.json ReadExamResult), so a recorded result is never lost: if this function dies, or
 * Step Functions answers 5xx, between the write and the callback, the student's retry of the same submission
 * delivers it again and is answered as the first would have been (the answers' hash tells a repeat), and at the
 * deadline the workflow takes the recorded result instead of recording NOT_SAT. Nothing is ever delivered before
 * it is recorded.
 */
import { DescribeExecutionCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { sfn } from '../shared/infrastructure/clients';
import { ExamAlreadySubmitted, ExamClosed, InvalidExamToken } from '../shared/plagiarism/errors';
import { assertOpenToLinkHolder, examClosedMessage, findExam } from '../shared/plagiarism/exam-access';
import { observedHandler } from '../shared/infrastructure/handler';
import { httpErrors, jsonResponse, parseJsonBody } from '../shared/infrastructure/http';
import { maxExams, type Exam, type Incident } from '../shared/plagiarism/incident';
import { logger } from '../shared/infrastructure/logger';
import { countMetric, publishMetrics } from '../shared/infrastructure/metrics';
import { scoreAnswers } from '../shared/plagiarism/question-bank';
import { identifier, parseInput } from '../shared/infrastructure/validation';
import { answersHash, recordResult, withdrawResult, type ExamSubmission } from './exam-record';

const submissionBody = z.object({
  IncidentId: identifier(128),
  ExamId: identifier(128),
  TaskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
  Answers: z.record(z.string(), z.string()),
});

type SubmissionBody = z.output<typeof submissionBody>;

async function submitExam(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const body = parseInput(submissionBody, parseJsonBody(event));
  const { score, passed } = scoreAnswers(body.Answers);
  const hash = answersHash(body.Answers);
  let { incident, examIndex } = await findExam(body.IncidentId, body.ExamId);
  assertOpenToLinkHolder(incident, incident.Exams[examIndex], body.TaskToken);

  if (incident.Exams[examIndex].Result == null) {
    const submission: ExamSubmission = {
      incidentId: body.IncidentId,
      examIndex,
      examId: body.ExamId,
      taskToken: body.TaskToken,
      result: passed ? 'PASSED' : 'FAILED',
      score,
      answersHash: hash,
      submittedAt: new Date().toISOString(),
    };
    // Record first (conditionally), then tell the workflow. Recording first means that of two concurrent
    // submissions only one result is stored, and that the workflow, which reads the record, finds it there.
    if (await recordResult(submission)) {
      await deliver(submission, incident.executionArn, { recordedNow: true });
      countMetric(passed ? 'ExamsPassed' : 'ExamsFailed');
      return answer(body, score, passed, incident, examIndex);
    }
    // Someone else changed the exam since we read it (a concurrent submission, the workflow): go by what is stored.
    ({ incident, examIndex } = await findExam(body.IncidentId, body.ExamId));
    assertOpenToLinkHolder(incident, incident.Exams[examIndex], body.TaskToken);
    if (incident.Exams[examIndex].Result == null)
      throw new ExamAlreadySubmitted('This exam has already been submitted.');
  }
  return answerRecorded(body, hash, incident, examIndex);
}

/**
 * The exam already has its result: delivered again while the workflow may still wait for it (the first delivery
 * may have failed), then the same submission is answered as it was the first time and other answers are refused.
 */
async function answerRecorded(
  body: SubmissionBody,
  hash: string,
  incident: Incident,
  examIndex: number,
): Promise<APIGatewayProxyResult> {
  const exam = incident.Exams[examIndex] as Exam & { Result: 'PASSED' | 'FAILED'; Score: number };
  // Only the newest exam of a scheduled incident can still be awaited: once the workflow has taken a result it
  // schedules the next exam or leaves EXAM_SCHEDULED.
  if (examIndex === 0 && incident.Status === 'EXAM_SCHEDULED') {
    await deliver(
      {
        incidentId: incident.IncidentId,
        examIndex,
        examId: exam.ExamId,
        taskToken: body.TaskToken,
        result: exam.Result,
        score: exam.Score,
        answersHash: exam.AnswersHash ?? '',
        submittedAt: exam.SubmittedAt ?? '',
      },
      incident.executionArn,
      { recordedNow: false },
    );
  }
  if (exam.AnswersHash !== hash) throw new ExamAlreadySubmitted('This exam has already been submitted.');
  return answer(body, exam.Score, exam.Result === 'PASSED', incident, examIndex);
}

/** The contract's 200: the attempts left as they were when this exam was the newest. */
function answer(
  body: SubmissionBody,
  score: number,
  passed: boolean,
  incident: Incident,
  examIndex: number,
): APIGatewayProxyResult {
  return jsonResponse(200, {
    IncidentId: body.IncidentId,
    ExamId: body.ExamId,
    Score: score,
    Passed: passed,
    AttemptsRemaining: Math.max(0, maxExams - (incident.Exams.length - examIndex)),
  });
}

/**
 * SendTaskSuccess with the recorded result. The workflow reads the result from the record, so the output is only
 * what it compares the record with. Step Functions answering that the task is no longer open (TaskTimedOut,
 * TaskDoesNotExist) is not a refusal of the result: the workflow already took it (an earlier delivery whose answer was
 * lost), or takes it from the record at the deadline, unless the execution was stopped, which DescribeExecution
 * tells. A server or network failure leaves the record as it is: the student's retry delivers it again.
 */
async function deliver(
  submission: ExamSubmission,
  executionArn: string,
  { recordedNow }: { recordedNow: boolean },
): Promise<void> {
  const output = {
    IncidentId: submission.incidentId,
    ExamId: submission.examId,
    Score: submission.score,
    Result: submission.result,
  };
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken: submission.taskToken, output: JSON.stringify(output) }));
    return;
  } catch (error) {
    // After a server or network failure the result may or may not have arrived: keep the record, which the
    // workflow reads either way (ServiceUnavailable: 503 with Retry-After, and the student sends it again).
    if ((error as { $fault?: string }).$fault !== 'client') throw error;
    const name = (error as Error).name;
    if ((name === 'TaskTimedOut' || name === 'TaskDoesNotExist') && (await executionStatus(executionArn)) !== 'ABORTED')
      return;
    if (recordedNow) await withdraw(submission);
    throw refusal(error as Error);
  }
}

async function executionStatus(executionArn: string): Promise<string | undefined> {
  return (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
}

/** Takes back a result no workflow will take; a failure to do so is logged, the caller still gets the refusal. */
async function withdraw(submission: ExamSubmission): Promise<void> {
  try {
    await withdrawResult(submission);
  } catch (withdrawError) {
    logger.error('Could not withdraw a result no workflow will take', {
      submission: { ...submission, taskToken: undefined },
      withdrawError,
    });
  }
}

function refusal(error: Error): Error {
  switch (error.name) {
    case 'TaskTimedOut':
    case 'TaskDoesNotExist':
      // Only a stopped execution gets here (see deliver).
      return new ExamClosed(examClosedMessage);
    case 'InvalidToken':
      return new InvalidExamToken('This link is not valid for this exam. Please use the link from your latest email.');
    default:
      return error;
  }
}

export const handler = observedHandler(submitExam).use(publishMetrics()).use(httpErrors());
