/**
 * Recording an exam's result on the incident, conditionally, and taking it back. Exams are a list, so updates
 * address the exam by index and check its ExamId in the condition.
 */
import { createHash } from 'node:crypto';
import { conditionalUpdate } from '../shared/infrastructure/conditional-update';
import { incidentsTable, type ExamResult } from '../shared/plagiarism/incident';

export interface ExamSubmission {
  incidentId: string;
  examIndex: number;
  examId: string;
  taskToken: string;
  result: Exclude<ExamResult, 'NOT_SAT'>;
  score: number;
  /** The SHA-256 of the answers (answersHash): a repeat of this submission is recognised by it. */
  answersHash: string;
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
    UpdateExpression: `SET ${exam}.#result = :result, ${exam}.#score = :score, ${exam}.SubmittedAt = :submittedAt, ${exam}.AnswersHash = :answersHash, UpdatedAt = :submittedAt`,
    ConditionExpression:
      `${exam}.ExamId = :examId AND ${exam}.TaskToken = :token AND ` +
      `(attribute_not_exists(${exam}.#result) OR attribute_type(${exam}.#result, :null))`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: {
      ':result': submission.result,
      ':score': submission.score,
      ':submittedAt': submission.submittedAt,
      ':answersHash': submission.answersHash,
      ':examId': submission.examId,
      ':token': submission.taskToken,
      ':null': 'NULL',
    },
  });
}

/**
 * Takes back a result no workflow will take: its execution was stopped, or Step Functions refused the token. If the
 * workflow has meanwhile recorded its own result (NOT_SAT), that one stays and only our score, submission time and
 * answers' hash go.
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
    UpdateExpression: `SET ${exam}.#result = :none, ${exam}.#score = :none, UpdatedAt = :now REMOVE ${exam}.SubmittedAt, ${exam}.AnswersHash`,
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
    UpdateExpression: `SET ${exam}.#score = :none, UpdatedAt = :now REMOVE ${exam}.SubmittedAt, ${exam}.AnswersHash`,
    ConditionExpression: ours,
    ExpressionAttributeValues: {
      ':none': null,
      ':now': new Date().toISOString(),
      ':examId': submission.examId,
      ':submittedAt': submission.submittedAt,
    },
  });
}

/**
 * The answers' SHA-256, the same whatever order the questions came in: what tells a repeat of a submission (the
 * student's retry after an error) from different answers to an exam that already has its result.
 */
export function answersHash(answers: Record<string, string>): string {
  const sorted = Object.keys(answers)
    .sort()
    .map((questionId) => [questionId, answers[questionId]]);
  return createHash('sha256').update(JSON.stringify(sorted), 'utf8').digest('hex');
}
