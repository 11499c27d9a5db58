/** The email asking the academic integrity staff to take action on an incident. */
import { escapeHtml, type Email } from '../shared/infrastructure/email';
import type { Incident } from '../shared/plagiarism/incident';

/** Why the student's case needs the staff: an outcome of the exams, or the workflow itself stopping. */
type AdminActionReason = 'EXAM_NOT_SAT' | 'EXAM_RETRIES_EXCEEDED' | 'WORKFLOW_FAILED' | 'WORKFLOW_STOPPED';

/** Where and how the plagiarism workflow stopped (its Catch's error output), for a WORKFLOW_FAILED action. */
interface WorkflowFailure {
  FailedState: string;
  Error: string;
  Cause: string;
}

const studentOutcomes: Record<Exclude<AdminActionReason, 'WORKFLOW_FAILED' | 'WORKFLOW_STOPPED'>, string> = {
  EXAM_NOT_SAT: 'did not sit the referencing exam before its deadline',
  EXAM_RETRIES_EXCEEDED: 'did not pass the referencing exam in the maximum number of attempts',
};

/** What the staff are asked to act on: the reason, with where and how the workflow stopped for WORKFLOW_FAILED. */
export type AdminAction =
  | { Reason: Exclude<AdminActionReason, 'WORKFLOW_FAILED' | 'WORKFLOW_STOPPED'> }
  | ({ Reason: 'WORKFLOW_FAILED' } & WorkflowFailure)
  | { Reason: 'WORKFLOW_STOPPED'; ExecutionArn: string };

export function adminEmail(incident: Incident, action: AdminAction, adminEmailAddress: string): Email {
  const { IncidentId, StudentName, StudentId, StudentEmail, IncidentDate, Description } = incident;
  const exams = (incident.Exams ?? []).map(
    (exam, index, all) =>
      `Exam ${all.length - index}: ${exam.Result ?? 'pending'}${exam.Score == null ? '' : ` (${exam.Score}%)`}`,
  );
  const facts = [
    `Student: ${StudentName} (${StudentId}, ${StudentEmail})`,
    `Incident ${IncidentId} of ${IncidentDate}${Description ? `: ${Description}` : ''}`,
    ...exams,
    ...(action.Reason === 'WORKFLOW_FAILED' ? [`Error cause: ${action.Cause || '(none given)'}`] : []),
    ...(action.Reason === 'WORKFLOW_STOPPED' ? [`Stopped execution: ${action.ExecutionArn}`] : []),
  ];
  const summary =
    action.Reason === 'WORKFLOW_FAILED'
      ? `The plagiarism workflow of incident ${IncidentId} stopped at state ${action.FailedState} with error ${action.Error}, so the incident needs manual handling: the student's case will not go on by itself.`
      : action.Reason === 'WORKFLOW_STOPPED'
        ? `The plagiarism workflow of incident ${IncidentId} was stopped (StopExecution) before it finished, so the incident needs manual handling: the student's exam is closed and the case will not go on by itself.`
        : `${StudentName} ${studentOutcomes[action.Reason]}, so incident ${IncidentId} now needs administrative action.`;
  return {
    to: adminEmailAddress,
    subject: `Action required: plagiarism incident ${IncidentId}`,
    text: [
      'Hello,',
      '',
      summary,
      '',
      ...facts,
      '',
      'Please review the incident and decide on the next steps.',
      'The plagiarism workflow',
    ].join('\n'),
    html: [
      '<p>Hello,</p>',
      `<p>${escapeHtml(summary)}</p>`,
      `<ul>${facts.map((fact) => `<li>${escapeHtml(fact)}</li>`).join('')}</ul>`,
      '<p>Please review the incident and decide on the next steps.<br>The plagiarism workflow</p>',
    ].join('\n'),
  };
}
