/**
 * Hostile names and ids in every email the functions send: the HTML body shows them as text (never markup), and
 * no value can break a header line (To, Subject) to add headers or recipients of its own.
 */
import '../unit/support/setup';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { cancellationEmail } from '../../functions/cancel-reservation/cancellation-email';
import { confirmationEmail } from '../../functions/reserve-room/confirmation-email';
import { examEmail } from '../../functions/send-exam-notification/exam-email';
import { safeSubject, sendEmail, UnsafeEmailHeader, type Email } from '../../functions/shared/infrastructure/email';
import type { Incident } from '../../functions/shared/plagiarism/incident';
import type { Reservation } from '../../functions/shared/hotel/reservation';
import { adminEmail } from '../../functions/take-administrative-action/admin-email';
import { handler as takeAdministrativeAction } from '../../functions/take-administrative-action/app';
import { lambdaContext } from '../unit/support/lambda';

const ses = mockClient(SESClient);
const ddb = mockClient(DynamoDBDocumentClient);

/** Each hostile value and the HTML a body must show it as, written out here: the escaping is not taken from the code under test. */
const expectedHtml: Record<string, string> = {
  '<script>alert(1)</script>': '&lt;script&gt;alert(1)&lt;/script&gt;',
  '"><img src=x onerror=alert(1)>': '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;',
  "' onmouseover='alert(1)": '&#39; onmouseover=&#39;alert(1)',
  'Eve\r\nBcc: everyone@example.com': 'Eve\r\nBcc: everyone@example.com',
  'Mallory\u2028Subject: urgent': 'Mallory\u2028Subject: urgent',
};

const hostile = Object.keys(expectedHtml);

/** The tags each email's own template writes; anything else in a body came from data. */
const templateTags = new Set(['p', 'strong', 'br', 'a', 'ul', 'li']);

function expectInertHtml(html: string, value: string): void {
  const tags = [...html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)];
  // Every template writes paragraphs at least, so the checks below are over real tags.
  expect(tags.map(([, tag]) => tag)).toContain('p');
  for (const [, tag, attributes] of tags) {
    expect(templateTags).toContain(tag.toLowerCase());
    // The only attribute a template writes is the exam link's href.
    expect(attributes.replace(/\s+href="[^"]*"/, '').trim()).toBe('');
  }
  // The value is in the body, escaped; as it was sent only when escaping leaves it as it is.
  expect(html).toContain(expectedHtml[value]);
  expect(html.includes(value)).toBe(expectedHtml[value] === value);
}

const reservation = (value: string): Reservation => ({
  ReservationId: value,
  GuestName: value,
  GuestEmail: 'guest@example.com',
  RoomType: 'DELUXE',
  RoomNumber: value,
  CheckIn: '2030-01-01',
  CheckOut: '2030-01-03',
  Nights: 2,
  Status: 'CONFIRMED',
  CreatedAt: '2029-12-01T00:00:00.000Z',
});

const incident = (value: string): Incident => ({
  IncidentId: value,
  StudentId: value,
  StudentName: value,
  StudentEmail: 'student@example.edu',
  IncidentDate: '2030-02-20',
  Description: value,
  Status: 'EXAM_SCHEDULED',
  Exams: [{ ExamId: value, Deadline: '2030-03-01T00:00:00.000Z', Result: 'FAILED', Score: 10 }],
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:x',
  CreatedAt: '2030-02-20T00:00:00.000Z',
  UpdatedAt: '2030-02-20T00:00:00.000Z',
});

const builders: Array<[string, (value: string) => Email]> = [
  ['reservation confirmation', (value) => confirmationEmail(reservation(value))],
  ['cancellation', (value) => cancellationEmail(reservation(value))],
  [
    'exam invitation',
    (value) =>
      examEmail({
        studentName: value,
        studentEmail: 'student@example.edu',
        deadline: '2030-03-08T09:30:00.000Z',
        examLink: `https://exams.example.com/testcentre/?IncidentId=${encodeURIComponent(value)}&TaskToken=${encodeURIComponent(value)}`,
      }),
  ],
  ['administrative action', (value) => adminEmail(incident(value), { Reason: 'EXAM_NOT_SAT' }, 'admin@example.com')],
];

beforeEach(() => {
  ses.reset();
  ddb.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
});

describe.each(builders)('the %s email', (_name, build) => {
  test.each(hostile)('shows %j as text in its HTML body', (value) => {
    const email = build(value);
    expectInertHtml(email.html, value);
    expect(email.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe(value.startsWith('<script>'));
  });

  test.each(hostile)('is sent with %j kept out of its header lines', async (value) => {
    await sendEmail(build(value));
    const [call] = ses.commandCalls(SendEmailCommand);
    const input = call.args[0].input;
    expect(input.Message!.Subject!.Data).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(input.Destination!.ToAddresses).toHaveLength(1);
    expect(input.Destination!.ToAddresses![0]).not.toMatch(/[\r\n\s,]/);
    expect(input.Source).toBe('noreply@example.com');
  });
});

describe('sendEmail', () => {
  test.each([
    'victim@example.com\r\nBcc: everyone@example.com',
    'victim@example.com, everyone@example.com',
    'Victim <victim@example.com>',
    'victim@example.com\n',
    'not an address',
  ])('refuses the recipient %j and sends nothing', async (to) => {
    await expect(sendEmail({ to, subject: 'Hello', text: 'x', html: '<p>x</p>' })).rejects.toThrow(UnsafeEmailHeader);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  test('puts a subject with line breaks on one line', () => {
    expect(safeSubject('Your reservation\r\nBcc: everyone@example.com\u2028X')).toBe(
      'Your reservation  Bcc: everyone@example.com X',
    );
  });
});

describe('TakeAdministrativeActionFunction with a hostile incident in the table', () => {
  test('mails the administrators an HTML body where the stored name and description are text', async () => {
    const stored = {
      ...incident('"><img src=x onerror=alert(1)>'),
      IncidentId: 'inc-1',
      StudentName: '<script>alert(1)</script>',
    };
    ddb.on(GetCommand).resolves({ Item: stored });
    ddb.on(UpdateCommand).resolves({});

    await takeAdministrativeAction(
      { IncidentId: 'inc-1', Reason: 'EXAM_NOT_SAT' },
      lambdaContext('TakeAdministrativeActionFunction'),
    );

    const input = ses.commandCalls(SendEmailCommand)[0].args[0].input;
    expect(input.Destination!.ToAddresses).toEqual(['admin@example.com']);
    const html = input.Message!.Body!.Html!.Data!;
    expectInertHtml(html, stored.StudentName);
    expectInertHtml(html, stored.Description!);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});
