/**
 * An exam's notification as its record on the incident (IncidentsTable, `Exams[index]`) keeps it: the task token
 * the Testing Centre link carries (SubmitExam checks it), and for which token the email already went out. Exams
 * are a list, so every update addresses the exam by its index and its condition checks the id found there.
 */
import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/infrastructure/clients';
import { conditionalUpdate } from '../shared/infrastructure/conditional-update';
import { incidentsTable, type Exam } from '../shared/plagiarism/incident';

/** Where an exam's record is: its incident and its current index in the incident's Exams. */
export interface ExamRecord {
  incidentId: string;
  examId: string;
  index: number;
}

/**
 * The SHA-256 of a task token, which is all the notification record keeps of it: it tells "this token" from any
 * other without putting the student's credential in one more attribute.
 */
function tokenHash(taskToken: string): string {
  return createHash('sha256').update(taskToken, 'utf8').digest('hex');
}

/**
 * When the exam's email went out for this very token, or undefined if it did not (yet). Only the same token
 * counts: a retry of the task comes with a new token (Step Functions issues one per attempt) and must email its
 * new link, and each exam of a resit has a record, and a token, of its own.
 */
export function notifiedAtFor(exam: Exam, taskToken: string): string | undefined {
  return exam.NotifiedTokenHash === tokenHash(taskToken) ? exam.NotifiedAt : undefined;
}

/** Saves the token on the exam, before any email carries it: the link must work as soon as the email arrives. */
export async function storeTaskToken({ incidentId, examId, index }: ExamRecord, taskToken: string): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: incidentsTable(),
      Key: { IncidentId: incidentId },
      UpdateExpression: `SET Exams[${index}].TaskToken = :token, UpdatedAt = :now`,
      ConditionExpression: `Exams[${index}].ExamId = :examId`,
      ExpressionAttributeValues: { ':token': taskToken, ':examId': examId, ':now': new Date().toISOString() },
    }),
  );
}

/**
 * Records that SES accepted the email for this token, once: NotifiedAt is when the first email with this link went
 * out. False, changing nothing, when the exam no longer waits for this token (a newer attempt stored its own, the
 * deadline removed it, or a resit moved the exam in the list) or an invocation with the same token recorded it
 * first: then there is nothing left to record. UpdatedAt stays as it is: the record is this function's
 * bookkeeping, which the read APIs leave out, so the incident they show is the same just before and after it.
 */
export async function recordNotification(
  { incidentId, examId, index }: ExamRecord,
  taskToken: string,
  notifiedAt: string,
): Promise<boolean> {
  return conditionalUpdate({
    TableName: incidentsTable(),
    Key: { IncidentId: incidentId },
    UpdateExpression: `SET Exams[${index}].NotifiedAt = :notifiedAt, Exams[${index}].NotifiedTokenHash = :tokenHash`,
    ConditionExpression: `Exams[${index}].ExamId = :examId AND Exams[${index}].TaskToken = :token AND (attribute_not_exists(Exams[${index}].NotifiedTokenHash) OR Exams[${index}].NotifiedTokenHash <> :tokenHash)`,
    ExpressionAttributeValues: {
      ':notifiedAt': notifiedAt,
      ':tokenHash': tokenHash(taskToken),
      ':examId': examId,
      ':token': taskToken,
    },
  });
}
