/**
 * ScheduleExamFunction: gives the student a new exam (deadline in 7 days), at most 3 per incident.
 * Invoked by the plagiarism state machine with {IncidentId}; safe to retry.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { dynamo } from '../shared/infrastructure/clients';
import { conditionalUpdate } from '../shared/infrastructure/conditional-update';
import { incidentCountsTable, updateUncounting } from '../shared/plagiarism/admin-action-count';
import { IncidentNotFound, StudentExceededAllowableExamRetries } from '../shared/plagiarism/errors';
import { observedHandler } from '../shared/infrastructure/handler';
import { findIncident, incidentsTable, maxExams, type Exam, type Incident } from '../shared/plagiarism/incident';
import { statusPartition } from '../shared/plagiarism/incident-index';
import { countMetric, publishMetrics } from '../shared/infrastructure/metrics';
import { identifier, parseInput } from '../shared/infrastructure/validation';

const scheduleExamEvent = z.object({ IncidentId: identifier(128) });

const examPeriodMs = 7 * 86_400_000;

/** Reads before giving up when other invocations keep changing the exams between our read and our write. */
const maxAttempts = 3;

export interface ScheduledExam {
  IncidentId: string;
  ExamId: string;
  Deadline: string;
  ExamCount: number;
  StudentName: string;
  StudentEmail: string;
}

async function scheduleExam(event: unknown): Promise<ScheduledExam> {
  const { IncidentId } = parseInput(scheduleExamEvent, event);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const incident = await findIncident(IncidentId);
    if (!incident) throw new IncidentNotFound(`There is no incident ${IncidentId}.`);
    const exams = incident.Exams ?? [];
    // The workflow only schedules an exam once the previous one has a result, so a newest exam still without
    // one was scheduled by an earlier attempt of this same step (a retried invocation): hand it out again.
    if (exams[0] && exams[0].Result == null) return scheduled(incident, exams[0], exams.length);
    if (exams.length >= maxExams) {
      throw new StudentExceededAllowableExamRetries(
        `The student of incident ${IncidentId} has already taken the maximum of ${maxExams} exams.`,
      );
    }
    const exam: Exam = {
      ExamId: randomUUID(),
      Deadline: new Date(Date.now() + examPeriodMs).toISOString(),
      Result: null,
      Score: null,
    };
    if (await prependExam(incident, exam, exams.length)) {
      countMetric('ExamsScheduled');
      return scheduled(incident, exam, exams.length + 1);
    }
  }
  throw new Error(`The exams of incident ${IncidentId} kept changing while scheduling one; try again.`);
}

/**
 * Adds the exam as the newest, only if the exams are still the `count` we read and the incident is still counted
 * among those needing action exactly when it was: an incident that needed action (a run redriven after a stop or a
 * failure goes on to a new exam) leaves that count in the same transaction (admin-action-count.ts).
 */
async function prependExam(incident: Incident, exam: Exam, count: number): Promise<boolean> {
  const update = {
    TableName: incidentsTable(),
    Key: { IncidentId: incident.IncidentId },
    UpdateExpression:
      'SET Exams = list_append(:exam, if_not_exists(Exams, :none)), #status = :scheduled, StatusPartition = :partition, UpdatedAt = :now',
    ConditionExpression:
      count === 0
        ? 'attribute_exists(IncidentId) AND (attribute_not_exists(Exams) OR size(Exams) = :count)'
        : 'attribute_exists(IncidentId) AND size(Exams) = :count',
    ExpressionAttributeNames: { '#status': 'Status' },
    ExpressionAttributeValues: {
      ':exam': [exam],
      ':none': [],
      ':count': count,
      ':scheduled': 'EXAM_SCHEDULED',
      ':partition': statusPartition('EXAM_SCHEDULED', incident.IncidentId),
      ':now': new Date().toISOString(),
    },
  };
  if (incident.CountedStatus !== undefined) return updateUncounting(dynamo, update, incidentCountsTable());
  return conditionalUpdate({
    ...update,
    ConditionExpression: `(${update.ConditionExpression}) AND attribute_not_exists(CountedStatus)`,
  });
}

function scheduled(incident: Incident, exam: Exam, examCount: number): ScheduledExam {
  return {
    IncidentId: incident.IncidentId,
    ExamId: exam.ExamId,
    Deadline: exam.Deadline,
    ExamCount: examCount,
    StudentName: incident.StudentName,
    StudentEmail: incident.StudentEmail,
  };
}

export const handler = observedHandler(scheduleExam).use(publishMetrics());
