/**
 * The records the example events in events/ refer to, made when an invoked event needs one that is missing, so
 * that every event file runs with `npm run invoke` on an empty `.local/` (and in any order):
 *
 * - `example-reservation-0001` (cancel.json, get-reservation.json): booked the way it is in use, by invoking
 *   ReserveRoomFunction with events/reserve.json (its room-nights, its confirmation email).
 * - `example-incident-0001` (schedule-exam.json, send-exam-notification.json, take-administrative-action.json,
 *   submit-exam.json, get-incident.json): an incident with one exam, written as the plagiarism workflow leaves it
 *   once the student passed: the exam of send-exam-notification.json (its ExamId, deadline, student and task token)
 *   submitted with submit-exam.json's answers, the incident RESOLVED. No workflow waits for that exam, so
 *   SubmitExam answers submit-exam.json as the repeat of that submission (the same 200) without Step Functions;
 *   an exam still waiting would need a running execution holding the event's task token, which no event can carry.
 *
 * An existing record is never touched (conditional writes), so a state already in use keeps what it has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { indexAttributes } from '../../functions/shared/plagiarism/incident-index';
import type { Incident } from '../../functions/shared/plagiarism/incident';
import { scoreAnswers } from '../../functions/shared/plagiarism/question-bank';
import { answersHash } from '../../functions/submit-exam/exam-record';
import type { LambdaInvoker } from '../lambda-runner';
import { dynamoDbClient } from '../services/dynamodb-local';
import { PROJECT_ROOT } from '../template/load';

export const EXAMPLE_RESERVATION_ID = 'example-reservation-0001';
export const EXAMPLE_INCIDENT_ID = 'example-incident-0001';
const EVENTS_DIR = path.join(PROJECT_ROOT, 'events');
/** The local tables are named by their logical ids (local/provisioning/tables.ts). */
const RESERVATIONS_TABLE = 'ReservationsTable';
const INCIDENTS_TABLE = 'IncidentsTable';

export interface ExampleRecordsContext {
  dynamodbEndpoint: string;
  /** Invokes ReserveRoomFunction for the example reservation. */
  lambda: LambdaInvoker;
  /** Builds a function's bundle before it is invoked. */
  build(functionId: string): Promise<void>;
  /** One line per record made. */
  report(line: string): void;
}

/** Makes the example records `event` names (by their ids) that do not exist yet; `functionId` is the one invoked. */
export async function ensureExampleRecords(
  functionId: string,
  event: unknown,
  context: ExampleRecordsContext,
): Promise<void> {
  const text = JSON.stringify(event) ?? '';
  const dynamo = DynamoDBDocumentClient.from(dynamoDbClient(context.dynamodbEndpoint));
  try {
    // ReserveRoomFunction with events/reserve.json makes the example reservation itself.
    if (text.includes(EXAMPLE_RESERVATION_ID) && functionId !== 'ReserveRoomFunction')
      await ensureReservation(dynamo, context);
    if (text.includes(EXAMPLE_INCIDENT_ID)) await ensureIncident(dynamo, context);
  } finally {
    dynamo.destroy();
  }
}

async function ensureReservation(dynamo: DynamoDBDocumentClient, context: ExampleRecordsContext): Promise<void> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: RESERVATIONS_TABLE,
      Key: { ReservationId: EXAMPLE_RESERVATION_ID },
      ConsistentRead: true,
    }),
  );
  if (Item) return;
  await context.build('ReserveRoomFunction');
  const booking = await context.lambda.invoke('ReserveRoomFunction', readEvent('reserve.json'));
  if (booking.functionError)
    throw new Error(
      `could not make the example reservation ${EXAMPLE_RESERVATION_ID} with events/reserve.json: ${JSON.stringify(booking.payload)}`,
    );
  context.report(
    `Made the example reservation ${EXAMPLE_RESERVATION_ID} (ReserveRoomFunction with events/reserve.json)`,
  );
}

async function ensureIncident(dynamo: DynamoDBDocumentClient, context: ExampleRecordsContext): Promise<void> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: INCIDENTS_TABLE,
        Item: exampleIncident(),
        ConditionExpression: 'attribute_not_exists(IncidentId)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return;
    throw error;
  }
  context.report(
    `Made the example incident ${EXAMPLE_INCIDENT_ID} (RESOLVED; its exam, the one in events/send-exam-notification.json, submitted with events/submit-exam.json's answers)`,
  );
}

/** The incident as the workflow leaves it after a passed exam, from the facts the example events state. */
export function exampleIncident(): Incident {
  const notification = readEvent('send-exam-notification.json') as {
    IncidentId: string;
    ExamId: string;
    Deadline: string;
    StudentName: string;
    StudentEmail: string;
    TaskToken: string;
  };
  const submission = JSON.parse((readEvent('submit-exam.json') as { body: string }).body) as {
    Answers: Record<string, string>;
  };
  const { score, passed } = scoreAnswers(submission.Answers);
  // A week before the deadline (the exam period), as ScheduleExam set it.
  const createdAt = new Date(Date.parse(notification.Deadline) - 7 * 86_400_000).toISOString();
  const incident: Incident = {
    IncidentId: EXAMPLE_INCIDENT_ID,
    StudentId: 'example-student-0001',
    StudentName: notification.StudentName,
    StudentEmail: notification.StudentEmail,
    IncidentDate: createdAt.slice(0, 10),
    Description: 'Example incident for the events in events/ (made by npm run invoke)',
    Status: passed ? 'RESOLVED' : 'ADMIN_ACTION_REQUIRED',
    Exams: [
      {
        ExamId: notification.ExamId,
        Deadline: notification.Deadline,
        Result: passed ? 'PASSED' : 'FAILED',
        Score: score,
        TaskToken: notification.TaskToken,
        SubmittedAt: createdAt,
        AnswersHash: answersHash(submission.Answers),
      },
    ],
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:${EXAMPLE_INCIDENT_ID}`,
    CreatedAt: createdAt,
    UpdatedAt: createdAt,
  };
  return { ...incident, ...indexAttributes(incident) };
}

function readEvent(file: string): unknown {
  return JSON.parse(readFileSync(path.join(EVENTS_DIR, file), 'utf8'));
}
