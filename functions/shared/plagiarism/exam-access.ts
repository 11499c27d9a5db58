/**
 * The exam a Testing Centre link points at (IncidentId, ExamId, TaskToken), and the proof that whoever holds the
 * link may see it: the task token is the student's credential, so nothing about the exam is told before it checks.
 */
import { ExamClosed, ExamExpired, ExamNotFound, InvalidExamToken } from './errors';
import { isIssuedToken } from './exam-token';
import { findIncident, type Exam, type Incident } from './incident';

export async function findExam(incidentId: string, examId: string): Promise<{ incident: Incident; examIndex: number }> {
  const incident = await findIncident(incidentId);
  const examIndex = incident?.Exams?.findIndex((exam) => exam.ExamId === examId) ?? -1;
  if (!incident || examIndex < 0) throw new ExamNotFound(`There is no exam ${examId} for incident ${incidentId}.`);
  return { incident, examIndex };
}

/** What a student is told when no workflow waits for their exam any more. */
export const examClosedMessage =
  'This exam is closed: the plagiarism process of this incident was stopped, so answers can no longer be accepted. The academic integrity office will contact you.';

/**
 * NOT_SAT and a closed exam come first because the workflow removes the token when it records them (the link can no
 * longer be proven, and the contract answers 410 for them); otherwise the token must be the one issued for this exam.
 */
export function assertLinkHolder(exam: Exam, taskToken: string): void {
  if (exam.Result === 'NOT_SAT') throw new ExamExpired('The deadline for this exam has passed.');
  if (exam.ClosedReason) throw new ExamClosed(examClosedMessage);
  if (!isIssuedToken(exam.TaskToken, taskToken)) {
    throw new InvalidExamToken('This link is not valid for this exam. Please use the link from your latest email.');
  }
}

/**
 * The link holder's exam, refused once it can no longer be taken. An exam still waiting for its answers is closed
 * (410 ExamClosed) once its incident is no longer EXAM_SCHEDULED: no workflow waits for it (the execution was stopped
 * or failed and the administrators took over). Its deadline having passed is 410 ExamExpired at once, by this
 * function's clock, without waiting for the workflow to record NOT_SAT (its timer fires a little later, and locally
 * on the engine's own clock). Checked only after the token, so only the link holder learns the exam's state. A
 * submitted exam is not refused: it keeps its Result past the deadline, which GET /exam/questions answers and
 * POST /exam answers as its submission was answered.
 */
export function assertOpenToLinkHolder(incident: Incident, exam: Exam, taskToken: string): void {
  assertLinkHolder(exam, taskToken);
  if (exam.Result != null) return;
  if (incident.Status !== 'EXAM_SCHEDULED') throw new ExamClosed(examClosedMessage);
  if (Date.parse(exam.Deadline) <= Date.now()) throw new ExamExpired('The deadline for this exam has passed.');
}
