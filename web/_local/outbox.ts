import type { CapturedEmail } from '../../local/services/ses-capture';

/** The outbox as the dashboard lists it: newest first. */
export function newestFirst(emails: readonly CapturedEmail[]): CapturedEmail[] {
  return [...emails].reverse().sort((a, b) => b.at - a.at); // stable sort: same second keeps newest first
}
