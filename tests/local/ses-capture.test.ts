/**
 * The SES capture (aws-ses-v2-local in its own process, local/services/ses-capture-process.mts) survives the
 * requests its viewer's download link can be given: aws-ses-v2-local 2.10.2 answers `GET /get-emlContent` with an
 * unknown or missing messageId 400, then answers again from a rejected promise, which throws
 * ERR_HTTP_HEADERS_SENT outside any handler and ends the process (every later email then fails). Our front answers
 * those itself; a stored email still downloads.
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { freePort } from '../../local/services/ports';
import { startSesCapture } from '../../local/services/ses-capture';
import type { LocalService } from '../../local/services/service';

jest.setTimeout(30_000);

let capture: LocalService;

beforeAll(async () => {
  capture = await startSesCapture({ port: await freePort() });
});

afterAll(() => capture?.stop());

async function sendEmail(subject: string): Promise<string> {
  const ses = new SESv2Client({
    endpoint: capture.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'noreply@example.com',
        Destination: { ToAddresses: ['student@example.com'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    return MessageId!;
  } finally {
    ses.destroy();
  }
}

test.each([
  ['an unknown messageId', '/get-emlContent?messageId=nope', 404],
  ['no messageId', '/get-emlContent', 400],
  ['an empty messageId', '/get-emlContent?messageId=', 400],
  ['two messageIds', '/get-emlContent?messageId=a&messageId=b', 400],
])('GET with %s is answered once, with a JSON error, and the capture keeps running', async (_case, path, status) => {
  const response = await fetch(`${capture.endpoint}${path}`);
  expect(response.status).toBe(status);
  expect(((await response.json()) as { message: string }).message).toMatch(/messageId/);
  // The process is still there and still captures: the next email is stored.
  const messageId = await sendEmail(`after ${path}`);
  expect(await capture.healthy()).toBe(true);
  const store = (await (await fetch(`${capture.endpoint}/store`)).json()) as { emails: Array<{ messageId: string }> };
  expect(store.emails.map((email) => email.messageId)).toContain(messageId);
});

test("a stored email still downloads as the viewer's .eml", async () => {
  const messageId = await sendEmail('download me');
  const response = await fetch(`${capture.endpoint}/get-emlContent?messageId=${encodeURIComponent(messageId)}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { messageId: string; body: unknown };
  expect(body.messageId).toBe(messageId);
});
