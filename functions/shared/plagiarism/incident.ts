/** A plagiarism incident (IncidentsTable) and its exams, newest first. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../infrastructure/clients';
import { requireEnv } from '../infrastructure/env';

/** A student sits at most this many exams per incident. */
export const maxExams = 3;

export type ExamResult = 'PASSED' | 'FAILED' | 'NOT_SAT';

export interface Exam {
  ExamId: string;
  Deadline: string;
  Result: ExamResult | null;
  Score: number | null;
  /** The workflow's callback token: the student's credential for this exam. Never returned by the read APIs. */
  TaskToken?: string;
  SubmittedAt?: string;
  /**
   * The SHA-256 of the submitted answers (sorted by question), recorded with the result: the same submission sent
   * again is told what the first was told. Never returned by the read APIs.
   */
  AnswersHash?: string;
  /**
   * Set by the workflow when it closed the exam without a result (`ExamResultNotRecorded`: a SendTaskSuccess that did
   * not come from the Testing Centre), removing its token. Never returned by the read APIs.
   */
  ClosedReason?: string;
  /**
   * When the exam's email was accepted by SES, and for which task token (its SHA-256, never the token itself):
   * SendExamNotification does not email a token twice. Never returned by the read APIs.
   */
  NotifiedAt?: string;
  NotifiedTokenHash?: string;
}

export interface Incident {
  IncidentId: string;
  StudentId: string;
  StudentName: string;
  StudentEmail: string;
  IncidentDate: string;
  Description?: string;
  Status: 'EXAM_SCHEDULED' | 'RESOLVED' | 'ADMIN_ACTION_REQUIRED';
  Exams: Exam[];
  executionArn: string;
  CreatedAt: string;
  UpdatedAt: string;
  /** The index keys (incident-index.ts): how GET /incidents finds it, never returned by the read APIs. */
  StatusPartition?: string;
  CreatedOrder?: string;
  /** Set once the incident is in the count of those needing action (admin-action-count.ts); never returned either. */
  CountedStatus?: string;
}

export type PublicExam = Omit<Exam, 'TaskToken'>;
export type PublicIncident = Omit<Incident, 'Exams' | 'StatusPartition' | 'CreatedOrder' | 'CountedStatus'> & {
  Exams: PublicExam[];
};

export function incidentsTable(): string {
  return requireEnv('INCIDENTS_TABLE');
}

/** The stored incident (strongly consistent read), or undefined. */
export async function findIncident(incidentId: string): Promise<Incident | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: incidentsTable(), Key: { IncidentId: incidentId }, ConsistentRead: true }),
  );
  return Item as Incident | undefined;
}

/** The incident as the read APIs show it: each exam's fields listed explicitly, so no task token can leak. */
export function publicIncident({
  StatusPartition,
  CreatedOrder,
  CountedStatus,
  ...incident
}: Incident): PublicIncident {
  return {
    ...incident,
    Exams: (incident.Exams ?? []).map(({ ExamId, Deadline, Result, Score, SubmittedAt }) => ({
      ExamId,
      Deadline,
      Result: Result ?? null,
      Score: Score ?? null,
      ...(SubmittedAt ? { SubmittedAt } : {}),
    })),
  };
}
