/**
 * The plagiarism process as its people drive it over HTTP: staff register an incident (POST /incident), the
 * student gets an email with the Testing Centre link and submits the exam (POST /exam), staff read incidents.
 */
import { randomUUID } from 'node:crypto';
import type { PublicIncident } from '../../../functions/shared/plagiarism/incident';
import type { CapturedEmail } from '../../../local/services/ses-capture';
import { eventually } from '../../support/eventually';
import type { ApiClient } from './http';
import { examLink, waitForEmails, type ExamLink } from './outbox';

/** An incident as the read APIs answer with it (GET /incidents, /incidents/{id}): no task token in its exams. */
export type Incident = PublicIncident;

export interface StudentRequest {
  StudentId: string;
  StudentName: string;
  StudentEmail: string;
  IncidentDate: string;
  Description?: string;
}

/** A student with an address of their own, so their emails are told apart from every other test's. */
export function newStudent(): StudentRequest {
  const id = randomUUID().slice(0, 8);
  return {
    StudentId: `S-${id}`,
    StudentName: `Student ${id}`,
    StudentEmail: `student-${id}@example.com`,
    IncidentDate: '2024-03-15',
    Description: 'Copied two paragraphs without a citation.',
  };
}

export interface RegisteredIncident {
  student: StudentRequest;
  IncidentId: string;
  executionArn: string;
  startDate: string;
}

export async function registerIncident(api: ApiClient, student = newStudent()): Promise<RegisteredIncident> {
  const answer = await api.post<{ IncidentId: string; executionArn: string; startDate: string }>('/incident', student);
  if (answer.status !== 200) throw new Error(`POST /incident answered ${answer.status}: ${answer.text}`);
  return { student, ...answer.body };
}

/** The `count`-th exam email the student has received (1-based), and its Testing Centre link. */
export async function examEmail(
  sesUrl: string,
  registered: RegisteredIncident,
  count = 1,
): Promise<{ email: CapturedEmail; link: ExamLink }> {
  const mentionsIncident = (email: CapturedEmail) => (email.body.text ?? '').includes(registered.IncidentId);
  const emails = await waitForEmails(sesUrl, registered.student.StudentEmail, count, mentionsIncident);
  const email = emails[count - 1];
  return { email, link: examLink(email) };
}

export async function getIncident(api: ApiClient, incidentId: string): Promise<Incident> {
  const answer = await api.get<Incident>(`/incidents/${encodeURIComponent(incidentId)}`);
  if (answer.status !== 200) throw new Error(`GET /incidents/${incidentId} answered ${answer.status}: ${answer.text}`);
  return answer.body;
}

/** Polls GET /incidents/{id} until the workflow has brought the incident to `status`. */
export function incidentReaching(
  api: ApiClient,
  incidentId: string,
  status: Incident['Status'],
  timeoutMs?: number,
): Promise<Incident> {
  let last: Incident | undefined;
  return eventually(
    () => `incident ${incidentId} to become ${status} (last seen: ${JSON.stringify(last)})`,
    async () => {
      // The workflow registers the incident a moment after POST /incident answers: 404 until then.
      const answer = await api.get<Incident>(`/incidents/${encodeURIComponent(incidentId)}`);
      if (answer.status === 404) return undefined;
      if (answer.status !== 200)
        throw new Error(`GET /incidents/${incidentId} answered ${answer.status}: ${answer.text}`);
      last = answer.body;
      return last.Status === status ? last : undefined;
    },
    { timeoutMs },
  );
}

/** The exam submission the Testing Centre page sends for a link and a set of answers. */
export function submission(link: ExamLink, answers: Record<string, string>) {
  return { IncidentId: link.IncidentId, ExamId: link.ExamId, TaskToken: link.TaskToken, Answers: answers };
}
