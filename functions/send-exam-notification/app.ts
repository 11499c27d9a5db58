/**
 * SendExamNotificationFunction: the plagiarism workflow's `lambda:invoke.waitForTaskToken` task. Stores the task
 * token on the exam (SubmitExam checks it) and emails the student the Testing Centre link carrying IncidentId,
 * ExamId and TaskToken. The workflow then waits for SubmitExam's SendTaskSuccess.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo } from '../shared/clients';
import { sendEmail } from '../shared/email';
import { requireEnv } from '../shared/env';
import { ExamNotFound, IncidentNotFound } from '../shared/errors';
import { observedHandler } from '../shared/handler';
import { findIncident, incidentsTable } from '../shared/incident';
import { identifier, parseInput, personText } from '../shared/validation';
import { examEmail } from './exam-email';

const notificationEvent = z.object({
  IncidentId: identifier(128),
  ExamId: identifier(128),
  Deadline: z.iso.datetime(),
  StudentName: personText(200),
  StudentEmail: z.email(),
  TaskToken: z.string().min(1).max(8192),
});

type NotificationEvent = z.output<typeof notificationEvent>;

async function sendExamNotification(event: unknown): Promise<{ IncidentId: string; ExamId: string; NotifiedAt: string }> {
  const request = parseInput(notificationEvent, event);
  const examLink = testingCentreLink(request);
  // Token first: the link must work as soon as the email arrives.
  await storeTaskToken(request);
  await sendEmail(
    examEmail({ studentName: request.StudentName, studentEmail: request.StudentEmail, deadline: request.Deadline, examLink }),
  );
  return { IncidentId: request.IncidentId, ExamId: request.ExamId, NotifiedAt: new Date().toISOString() };
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

/** Saves the token on the exam. Exams are a list, so the update addresses the exam's index and checks its id. */
async function storeTaskToken({ IncidentId, ExamId, TaskToken }: NotificationEvent): Promise<void> {
  const incident = await findIncident(IncidentId);
  if (!incident) throw new IncidentNotFound(`There is no incident ${IncidentId}.`);
  const index = (incident.Exams ?? []).findIndex((exam) => exam.ExamId === ExamId);
  if (index < 0) throw new ExamNotFound(`Incident ${IncidentId} has no exam ${ExamId}.`);
  await dynamo.send(
    new UpdateCommand({
      TableName: incidentsTable(),
      Key: { IncidentId },
      UpdateExpression: `SET Exams[${index}].TaskToken = :token, UpdatedAt = :now`,
      ConditionExpression: `Exams[${index}].ExamId = :examId`,
      ExpressionAttributeValues: { ':token': TaskToken, ':examId': ExamId, ':now': new Date().toISOString() },
    }),
  );
}

export const handler = observedHandler(sendExamNotification);
