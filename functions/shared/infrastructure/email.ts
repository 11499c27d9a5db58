/**
 * Sends one plain-text + HTML email through SES from SENDER_EMAIL. The email builders escape every value they
 * place in the HTML body (escapeHtml); this module keeps the header fields (To, Subject) free of line breaks, so
 * no name or id in them can start a header of its own (header injection: `Eve\r\nBcc: everyone@...`).
 */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ses } from './clients';
import { requireEnv } from './env';

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** An email whose recipient could not be a single, plain address: refused before anything is sent. */
export class UnsafeEmailHeader extends Error {
  override readonly name = 'UnsafeEmailHeader';
}

/** C0 controls (CR and LF among them), DEL, C1 controls and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's purpose (they are taken out of the subject line)
const lineBreaksAndControls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export async function sendEmail(email: Email): Promise<void> {
  await ses.send(
    new SendEmailCommand({
      Source: requireEnv('SENDER_EMAIL'),
      Destination: { ToAddresses: [safeRecipient(email.to)] },
      Message: {
        Subject: { Data: safeSubject(email.subject), Charset: 'UTF-8' },
        Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
      },
    }),
  );
}

/**
 * One address, as the functions' validation (zod's z.email()) accepts them: no controls, spaces, commas or angle
 * brackets, which could add recipients or headers. The address is not echoed in the error: it is personal data.
 */
function safeRecipient(address: string): string {
  if (
    // biome-ignore lint/suspicious/noControlCharactersInRegex: an address with a control character in it is refused; the regex must name them
    !/^[^\s,;<>"\u0000-\u001f\u007f-\u009f\u2028\u2029]+@[^\s,;<>"\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/.test(
      address,
    )
  ) {
    throw new UnsafeEmailHeader('The recipient is not a single plain email address; the email was not sent.');
  }
  return address;
}

/** The subject on one line: every line break or control character becomes a space. */
export function safeSubject(subject: string): string {
  return subject.replace(lineBreaksAndControls, ' ');
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Makes user input (names, descriptions, links) safe to place in HTML text or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEntities[char]);
}
