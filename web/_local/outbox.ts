/** The captured emails as aws-ses-v2-local's `GET /store` lists them (`at` is epoch seconds). */
export interface CapturedEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

export function newestFirst(emails: readonly CapturedEmail[]): CapturedEmail[] {
  return [...emails].reverse().sort((a, b) => b.at - a.at); // stable sort: same second keeps newest first
}
