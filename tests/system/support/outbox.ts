/**
 * The SES capture's outbox (`GET <ses>/store`), read the way a person reads their mail: the emails sent to an
 * address, and the Testing Centre link in an exam email, taken from the text body as a student would click it.
 */
import type { CapturedEmail } from '../../../local/services/ses-capture';
import { eventually } from '../../support/eventually';

export async function capturedEmails(sesUrl: string): Promise<CapturedEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  if (!response.ok) throw new Error(`GET ${sesUrl}/store answered ${response.status}`);
  return ((await response.json()) as { emails: CapturedEmail[] }).emails;
}

/** Every email sent to `address` that `matches`, oldest first. */
export async function emailsTo(
  sesUrl: string,
  address: string,
  matches: (email: CapturedEmail) => boolean = () => true,
): Promise<CapturedEmail[]> {
  return (await capturedEmails(sesUrl)).filter((email) => email.destination.to.includes(address) && matches(email));
}

/** Waits until at least `count` emails to `address` that `matches` have been captured, and returns them. */
export function waitForEmails(
  sesUrl: string,
  address: string,
  count: number,
  matches: (email: CapturedEmail) => boolean = () => true,
  timeoutMs?: number,
): Promise<CapturedEmail[]> {
  return eventually(
    `${count} email(s) to ${address}`,
    async () => {
      const emails = await emailsTo(sesUrl, address, matches);
      return emails.length >= count ? emails : undefined;
    },
    { timeoutMs },
  );
}

export interface ExamLink {
  url: URL;
  IncidentId: string;
  ExamId: string;
  TaskToken: string;
}

/** The Testing Centre link in an exam email's text body, with its query parameters decoded. */
export function examLink(email: CapturedEmail): ExamLink {
  const text = email.body.text ?? '';
  const found = /https?:\/\/\S+\/testcentre\/\?\S+/.exec(text);
  if (!found) throw new Error(`the email "${email.subject}" has no Testing Centre link in its text:\n${text}`);
  const url = new URL(found[0]);
  const param = (name: string): string => {
    const value = url.searchParams.get(name);
    if (!value) throw new Error(`the Testing Centre link ${found[0]} has no ${name}`);
    return value;
  };
  return { url, IncidentId: param('IncidentId'), ExamId: param('ExamId'), TaskToken: param('TaskToken') };
}
