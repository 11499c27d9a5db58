/**
 * Recording an exam's result on the incident, conditionally, and taking it back. Exams are a list, so updates
 * address the exam by index and check its ExamId in the condition.
 */
import { conditionalUpdate } from '../shared/infrastructure/conditional-update';
import { incidentsTable, type ExamResult } from '../shared/plagiarism/incident';

export interface ExamSubmission {
  incidentId: string;
  examIndex: number;
  examId: string;
  taskToken: string;
  result: Exclude<ExamResult, 'NOT_SAT'>;
  score: number;
  submittedAt: string;
}

const names = { '#result': 'Result', '#score': 'Score' };

/**
 * Stores the result only while the exam still has none and still carries this token, so of two concurrent
 * submissions exactly one is recorded. False when the condition did not hold.
 */
export function recordResult(submission: ExamSubmission): Promise<boolean> {
  const exam = `Exams[${submission.examIndex}]`;
  return conditionalUpdate({
    TableName: incidentsTable(),
    Key: { IncidentId: submission.incidentId },
    UpdateExpression: `SET ${exam}.#result = :result, ${exam}.#score = :score, ${exam}.SubmittedAt = :submittedAt, UpdatedAt = :submittedAt`,
    ConditionExpression:
      `${exam}.ExamId = :examId AND ${exam}.TaskToken = :token AND ` +
      `(attribute_not_exists(${exam}.#result) OR attribute_type(${exam}.#result, :null))`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: {
      ':result': submission.result,
      ':score': submission.score,
      ':submittedAt': submission.submittedAt,
      ':examId': submission.examId,
      ':token': submission.taskToken,
      ':null': 'NULL',
    },
  });
}

/**
 * Takes back a result the workflow refused. If the workflow has meanwhile recorded its own result (NOT_SAT after
 * its timeout), that one stays and only our score and submission time go.
 */
export async function withdrawResult(submission: ExamSubmission): Promise<void> {
  const exam = `Exams[${submission.examIndex}]`;
  const ours = `${exam}.ExamId = :examId AND ${exam}.SubmittedAt = :submittedAt`;
  const common = {
    TableName: incidentsTable(),
    Key: { IncidentId: submission.incidentId },
    ExpressionAttributeNames: names,
  };
  const withdrawn = await conditionalUpdate({
    ...common,
    UpdateExpression: `SET ${exam}.#result = :none, ${exam}.#score = :none, UpdatedAt = :now REMOVE ${exam}.SubmittedAt`,
    ConditionExpression: `${ours} AND ${exam}.#result = :result`,
    ExpressionAttributeValues: {
      ':none': null,
      ':now': new Date().toISOString(),
      ':examId': submission.examId,
      ':submittedAt': submission.submittedAt,
      ':result': submission.result,
    },
  });
  if (withdrawn) return;
  await conditionalUpdate({
    ...common,
    ExpressionAttributeNames: { '#score': 'Score' },
    UpdateExpression: `SET ${exam}.#score = :none, UpdatedAt = :now REMOVE ${exam}.SubmittedAt`,
    ConditionExpression: ours,
    ExpressionAttributeValues: {
      ':none': null,
      ':now': new Date().toISOString(),
      ':examId': submission.examId,
      ':submittedAt': submission.submittedAt,
    },
  });
}
