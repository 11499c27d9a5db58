/**
 * SendExamNotificationFunction: the plagiarism workflow's `lambda:invoke.waitForTaskToken` task. Stores the task
 * token on the exam (SubmitExam checks it) and emails the student the Testing Centre link carrying IncidentId,
 * ExamId and TaskToken. The workflow then waits for SubmitExam's SendTaskSuccess.
 *
 * Once per task token: the local cloud, resuming after a crash, invokes a task again with the token it had, so
 * the exam's record says for which token the email went out and an invocation with that token sends nothing.
 * Delivery stays at least once, on purpose: the record can only be written after SES accepted the email, so a
 * crash between the two sends the same email again on resume. That is the side to err on: a student who never
 * gets the link cannot sit the exam, one who gets it twice loses nothing.
 */
import * as z from 'zod/mini';
import { sendEmail } from '../shared/infrastructure/email';
import { requireEnv } from '../shared/infrastructure/env';
import { ExamNotFound, IncidentNotFound } from '../shared/plagiarism/errors';
import { observedHandler } from '../shared/infrastructure/handler';
import { findIncident, type Exam } from '../shared/plagiarism/incident';
import { logger } from '../shared/infrastructure/logger';
import { identifier, parseInput, personText } from '../shared/infrastructure/validation';
import { examEmail } from './exam-email';
import { notifiedAtFor, recordNotification, storeTaskToken, type ExamRecord } from './notification-record';

const notificationEvent = z.object({
  IncidentId: identifier(128),
  ExamId: identifier(128),
  Deadline: z.iso.datetime(),
  StudentName: personText(200),
  StudentEmail: z.email(),
  TaskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
});

type NotificationEvent = z.output<typeof notificationEvent>;

async function sendExamNotification(
  event: unknown,
): Promise<{ IncidentId: string; ExamId: string; NotifiedAt: string }> {
  const request = parseInput(notificationEvent, event);
  const examLink = testingCentreLink(request);
  const { exam, record } = await findExamRecord(request);
  const answer = (NotifiedAt: string) => ({ IncidentId: request.IncidentId, ExamId: request.ExamId, NotifiedAt });
  const notifiedAt = notifiedAtFor(exam, request.TaskToken);
  if (notifiedAt) {
    logger.info('The exam email for this task token already went out: not sending it again', { record });
    return answer(notifiedAt);
  }
  await storeTaskToken(record, request.TaskToken);
  await sendEmail(
    examEmail({
      studentName: request.StudentName,
      studentEmail: request.StudentEmail,
      deadline: request.Deadline,
      examLink,
    }),
  );
  const sentAt = new Date().toISOString();
  await recordSentEmail(record, request.TaskToken, sentAt);
  return answer(sentAt);
}

/** The exam the task is for, read strongly consistent, and where its record is. */
async function findExamRecord({ IncidentId, ExamId }: NotificationEvent): Promise<{ exam: Exam; record: ExamRecord }> {
  const incident = await findIncident(IncidentId);
  if (!incident) throw new IncidentNotFound(`There is no incident ${IncidentId}.`);
  const index = (incident.Exams ?? []).findIndex((exam) => exam.ExamId === ExamId);
  if (index < 0) throw new ExamNotFound(`Incident ${IncidentId} has no exam ${ExamId}.`);
  return { exam: incident.Exams[index], record: { incidentId: IncidentId, examId: ExamId, index } };
}

/**
 * Records the sent email; a failure to do so is logged, not thrown. The student already has a working link and
 * the workflow waits for it: failing the task now would only make its Retry run it with a new token, which
 * emails a second link and makes the first one stop working (SubmitExam accepts only the newest token), or, once
 * the retries are used up, fail the student's case. Without the record, only a resume with this same token
 * would send the same email again: the at-least-once above.
 */
async function recordSentEmail(record: ExamRecord, taskToken: string, sentAt: string): Promise<void> {
  try {
    if (!(await recordNotification(record, taskToken, sentAt))) {
      logger.warn(
        'The exam email went out, but the exam no longer waits for its token or its email was recorded already',
        { record },
      );
    }
  } catch (error) {
    logger.error('The exam email went out but could not be recorded: a resume with this token would send it again', {
      record,
      error,
    });
  }
}

/** TESTING_CENTRE_URL with the exam's query parameters (URL-encoded). */
function testingCentreLink({ IncidentId, ExamId, TaskToken }: NotificationEvent): string {
  let link: URL;
  try {
    link = new URL(requireEnv('TESTING_CENTRE_URL'));
  } catch {
    throw new Error('TESTING_CENTRE_URL must be an absolute URL');
  }
  link.searchParams.set('IncidentId', IncidentId);
  link.searchParams.set('ExamId', ExamId);
  link.searchParams.set('TaskToken', TaskToken);
  return link.toString();
}

export const handler = observedHandler(sendExamNotification);
