/** The email asking the academic integrity staff to take action on an incident. */
import { escapeHtml, type Email } from '../shared/email';
import type { Incident } from '../shared/incident';

export type AdminActionReason = 'EXAM_NOT_SAT' | 'EXAM_RETRIES_EXCEEDED';

const explanations: Record<AdminActionReason, string> = {
  EXAM_NOT_SAT: 'did not sit the referencing exam before its deadline',
  EXAM_RETRIES_EXCEEDED: 'did not pass the referencing exam in the maximum number of attempts',
};

export function adminEmail(incident: Incident, reason: AdminActionReason, adminEmailAddress: string): Email {
  const { IncidentId, StudentName, StudentId, StudentEmail, IncidentDate, Description } = incident;
  const exams = (incident.Exams ?? []).map(
    (exam, index, all) => `Exam ${all.length - index}: ${exam.Result ?? 'pending'}${exam.Score == null ? '' : ` (${exam.Score}%)`}`,
  );
  const facts = [
    `Student: ${StudentName} (${StudentId}, ${StudentEmail})`,
    `Incident ${IncidentId} of ${IncidentDate}${Description ? `: ${Description}` : ''}`,
    ...exams,
  ];
  return {
    to: adminEmailAddress,
    subject: `Action required: plagiarism incident ${IncidentId}`,
    text: [
      'Hello,',
      '',
      `${StudentName} ${explanations[reason]}, so incident ${IncidentId} now needs administrative action.`,
      '',
      ...facts,
      '',
      'Please review the incident and decide on the next steps.',
      'The plagiarism workflow',
    ].join('\n'),
    html: [
      '<p>Hello,</p>',
      `<p>${escapeHtml(StudentName)} ${explanations[reason]}, so incident ${escapeHtml(IncidentId)} now needs administrative action.</p>`,
      `<ul>${facts.map((fact) => `<li>${escapeHtml(fact)}</li>`).join('')}</ul>`,
      '<p>Please review the incident and decide on the next steps.<br>The plagiarism workflow</p>',
    ].join('\n'),
  };
}
