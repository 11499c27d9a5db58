/**
 * No web page can reach the local cloud (docs/security.md section 6): the requests a browser sends for a page on
 * another origin, or for a page whose name was rebound to 127.0.0.1 (DNS rebinding), are refused on every port we
 * serve (the API and pages, the Step Functions API, the SES capture), and refused requests change nothing: the
 * engine clock stays where it was, no fault is armed, the captured emails stay. What the local cloud's own clients
 * send (the pages on their own origin, the SDK, the AWS CLI, the functions) still works, and the REST API routes
 * keep the CORS that template.yaml gives them.
 * Each request is written as a browser would send it, headers included, over node:http (fetch drops some of them).
 */
import { request as httpRequest } from 'node:http';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { capturedEmails } from '../system/support/outbox';
import { systemCloudOfThisFile } from '../system/support/system-cloud';

jest.setTimeout(60_000);

const system = systemCloudOfThisFile();

type Port = 'api' | 'sfn' | 'ses' | 'dynamodb';
const portOf = (part: Port) => Number(new URL(system.cloud.urls[part]).port);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request exactly as given (Host included), to 127.0.0.1 on the part's port. */
function send(
  part: Port,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const port = portOf(part);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { Host: `localhost:${port}`, ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const EVIL = 'http://evil.example';
/** What Chromium adds to a page's cross-site fetch. */
const crossSite = { Origin: EVIL, 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Dest': 'empty' };

/** No header of the answer lets a browser hand it to another origin. */
function corsHeaders(answer: Answer): string[] {
  return Object.keys(answer.headers).filter((name) => name.toLowerCase().startsWith('access-control-'));
}

function errorOf(answer: Answer): string | undefined {
  try {
    return (JSON.parse(answer.text) as { error?: string }).error;
  } catch {
    return undefined;
  }
}

async function engineNow(): Promise<number> {
  const answer = await send('sfn', 'GET', '/_local/clock');
  return Date.parse((JSON.parse(answer.text) as { now: string }).now);
}

async function armedFaults(): Promise<unknown[]> {
  return (JSON.parse((await send('sfn', 'GET', '/_local/faults')).text) as { faults: unknown[] }).faults;
}

const YEAR_SECONDS = 365 * 24 * 3600;
const advanceAYear = JSON.stringify({ advanceSeconds: YEAR_SECONDS });
const throttleReserve = JSON.stringify({
  function: 'ReserveRoomFunction',
  error: 'Lambda.TooManyRequestsException',
  count: 5,
});

let clockBefore: number;

beforeAll(async () => {
  // An email in the outbox, so that a clear of the store that got through would show.
  const ses = new SESv2Client({
    endpoint: system.cloud.urls.ses,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: 'noreply@example.com',
      Destination: { ToAddresses: ['student@example.com'] },
      Content: { Simple: { Subject: { Data: 'Your exam link' }, Body: { Text: { Data: 'http://x/testcentre/' } } } },
    }),
  );
  ses.destroy();
  clockBefore = await engineNow();
});

/** Nothing a refused request asked for happened. */
async function expectNothingChanged(): Promise<void> {
  // Half a year on, in ms: a year's advance that got through would be past it.
  expect(await engineNow()).toBeLessThan(clockBefore + YEAR_SECONDS * 500);
  expect(await armedFaults()).toEqual([]);
  expect((await capturedEmails(system.sesUrl)).map((email) => email.subject)).toContain('Your exam link');
}

describe('a page on another origin cannot change anything (a simple request: no preflight)', () => {
  test.each<[Port, string, string, string, string]>([
    ['sfn', 'POST', '/_local/clock', 'text/plain;charset=UTF-8', advanceAYear],
    ['sfn', 'POST', '/_local/faults', 'text/plain;charset=UTF-8', throttleReserve],
    ['api', 'POST', '/_local/clock', 'text/plain;charset=UTF-8', advanceAYear],
    ['api', 'POST', '/_local/faults', 'application/x-www-form-urlencoded', throttleReserve],
    ['ses', 'POST', '/clear-store', 'text/plain;charset=UTF-8', ''],
    ['ses', 'POST', '/clear-store', 'application/x-www-form-urlencoded', ''],
  ])('%s %s %s as %s from http://evil.example: 403, no CORS header', async (part, method, path, type, body) => {
    const answer = await send(part, method, path, { ...crossSite, 'Content-Type': type }, body);
    expect([answer.status, errorOf(answer)]).toEqual([403, 'CrossOriginRequestRefused']);
    expect(corsHeaders(answer)).toEqual([]);
    await expectNothingChanged();
  });

  test('a no-cors form post (Fetch Metadata says cross-site, no Origin) to the capture is refused too', async () => {
    const answer = await send('ses', 'POST', '/clear-store', {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'navigate',
    });
    expect([answer.status, errorOf(answer)]).toEqual([403, 'CrossOriginRequestRefused']);
    await expectNothingChanged();
  });

  test.each<[Port, string]>([
    ['sfn', '/_local/clock'],
    ['api', '/_local/clock'],
  ])('%s POST %s without a JSON content type (what a form or a plain fetch sends) is 415', async (part, path) => {
    const answer = await send(part, 'POST', path, { 'Content-Type': 'text/plain;charset=UTF-8' }, advanceAYear);
    expect([answer.status, errorOf(answer)]).toEqual([415, 'UnsupportedMediaType']);
    const empty = await send(part, 'POST', path, {}, advanceAYear);
    expect([empty.status, errorOf(empty)]).toEqual([415, 'UnsupportedMediaType']);
    await expectNothingChanged();
  });
});

describe('a preflight is refused, so a request that needs one is never sent', () => {
  test.each<[Port, string, string, string]>([
    ['sfn', '/', 'POST', 'content-type,x-amz-target'],
    ['sfn', '/_local/clock', 'POST', 'content-type'],
    ['sfn', '/_local/faults', 'DELETE', ''],
    ['api', '/_local/clock', 'POST', 'content-type'],
    ['api', '/_local/faults', 'DELETE', ''],
    ['ses', '/clear-store', 'POST', 'content-type'],
    ['ses', '/store', 'GET', 'x-requested-with'],
  ])('%s OPTIONS %s for %s: 403, no Access-Control-Allow-* header', async (part, path, method, requestHeaders) => {
    const answer = await send(part, 'OPTIONS', path, {
      ...crossSite,
      'Access-Control-Request-Method': method,
      ...(requestHeaders ? { 'Access-Control-Request-Headers': requestHeaders } : {}),
    });
    expect([answer.status, errorOf(answer)]).toEqual([403, 'CrossOriginRequestRefused']);
    expect(corsHeaders(answer)).toEqual([]);
  });

  test('the REST API routes keep the CORS template.yaml gives them', async () => {
    const preflight = await send('api', 'OPTIONS', '/reservations', {
      ...crossSite,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,x-api-key',
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    const read = await send('api', 'GET', '/reservations/nope', {
      ...crossSite,
      ...(await system.api.credentials('agent')),
    });
    expect(read.status).toBe(404);
    expect(read.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('a page on another origin cannot read anything', () => {
  test.each<[Port, string]>([
    ['sfn', '/_local/executions'],
    ['sfn', '/_local/clock'],
    ['api', '/_local/executions'],
    ['api', '/_local/outbox'],
    ['api', '/_local/traces'],
    ['ses', '/store'],
  ])('%s GET %s from http://evil.example: 403, no CORS header, no data', async (part, path) => {
    const answer = await send(part, 'GET', path, crossSite);
    expect([answer.status, errorOf(answer)]).toEqual([403, 'CrossOriginRequestRefused']);
    expect(corsHeaders(answer)).toEqual([]);
    expect(answer.text).not.toMatch(/executions|emails|traces|"now"/);
  });
});

describe('a rebinding Host (evil.example resolved to 127.0.0.1) is refused on every port', () => {
  const sfnTarget = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.ListExecutions' };
  test.each<[Port, string, string, Record<string, string>?, string?]>([
    ['sfn', 'GET', '/_local/executions'],
    ['sfn', 'POST', '/', sfnTarget, '{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:X"}'],
    ['api', 'GET', '/_local/outbox'],
    ['api', 'GET', '/_local/traces'],
    ['api', 'GET', '/_local/health'],
    ['api', 'GET', '/config.js'],
    ['api', 'GET', '/incidents'],
    ['ses', 'GET', '/store'],
    ['ses', 'GET', '/'],
  ])(
    '%s %s %s with Host: evil.example:<port>: 403 HostNotAllowed, nothing read',
    async (part, method, path, headers = {}, body = undefined) => {
      const answer = await send(
        part,
        method,
        path,
        { Host: `evil.example:${portOf(part)}`, ...(await system.api.credentials('admin')), ...headers },
        body,
      );
      expect(answer.status).toBe(403);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      const parsed = JSON.parse(answer.text) as { error?: string; __type?: string; message: string };
      expect(parsed.error ?? parsed.__type).toBe('HostNotAllowed');
      expect(parsed.message).toContain('evil.example');
      expect(corsHeaders(answer)).toEqual([]);
      expect(answer.text).not.toMatch(/executions|emails|APP_CONFIG|Items|<html/i);
    },
  );

  test('a rebinding Host cannot move the clock either', async () => {
    const answer = await send(
      'sfn',
      'POST',
      '/_local/clock',
      { Host: `evil.example:${portOf('sfn')}`, 'Content-Type': 'application/json' },
      advanceAYear,
    );
    expect(answer.status).toBe(403);
    await expectNothingChanged();
  });
});

describe('DynamoDB Local (a third-party server we cannot put a check in front of: docs/security.md section 6)', () => {
  test('grants no other origin in its CORS answers: a page cannot read it or send it an API call', async () => {
    const preflight = await send('dynamodb', 'OPTIONS', '/', {
      ...crossSite,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,x-amz-target',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const call = await send(
      'dynamodb',
      'POST',
      '/',
      {
        ...crossSite,
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      '{}',
    );
    expect(call.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe("what the local cloud's own clients send still works", () => {
  test('the SDK (disableHostPrefix) and an AWS CLI-style request reach the Step Functions API', async () => {
    const sfn = new SFNClient({
      endpoint: system.cloud.urls.sfn,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      disableHostPrefix: true,
    });
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    sfn.destroy();
    expect(stateMachines?.map((machine) => machine.name).sort()).toEqual([
      'CallCentreStateMachine',
      'PlagiarismStateMachine',
    ]);
    // What botocore sends for `aws stepfunctions --endpoint-url http://127.0.0.1:<port> list-state-machines`.
    const cli = await send(
      'sfn',
      'POST',
      '/',
      {
        Host: `127.0.0.1:${portOf('sfn')}`,
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AWSStepFunctions.ListStateMachines',
        'User-Agent': 'aws-cli/2.22.0 md/Botocore#1.36.0',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=0',
      },
      '{}',
    );
    expect(cli.status).toBe(200);
    // The SDK's host prefix, for those who map sync-localhost to 127.0.0.1 themselves.
    const prefixed = await send('sfn', 'POST', '/', {
      Host: `sync-localhost:${portOf('sfn')}`,
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'AWSStepFunctions.ListStateMachines',
    });
    expect(prefixed.status).toBe(200);
  });

  test('the dashboards read and move the clock on their own origin, through the API port', async () => {
    const origin = `http://localhost:${portOf('api')}`;
    const config = await send('api', 'GET', '/config.js');
    expect(config.status).toBe(200);
    expect(config.text).toContain(`"sfnDashboardBase": "${origin}"`);
    expect(config.text).toContain(`"outboxUrl": "${origin}/_local/outbox"`);
    // The pages' CSP lets them connect to their own origin, and to the local Cognito service to sign in.
    expect(config.headers['content-security-policy']).toContain(`connect-src 'self' ${system.cloud.urls.cognito};`);

    const sameOrigin = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };
    const machines = await send('api', 'GET', '/_local/state-machines', sameOrigin);
    expect(machines.status).toBe(200);
    expect((JSON.parse(machines.text) as { stateMachines: unknown[] }).stateMachines).toHaveLength(2);
    const executions = await send('api', 'GET', '/_local/executions', sameOrigin);
    expect(executions.status).toBe(200);
    const outbox = await send('api', 'GET', '/_local/outbox', sameOrigin);
    expect(outbox.status).toBe(200);
    expect((JSON.parse(outbox.text) as { emails: Array<{ subject: string }> }).emails.map((e) => e.subject)).toContain(
      'Your exam link',
    );
    // POST from the page: the browser adds its Origin, the page sends JSON.
    const moved = await send(
      'api',
      'POST',
      '/_local/clock',
      { ...sameOrigin, Origin: origin, 'Content-Type': 'application/json' },
      JSON.stringify({ advanceSeconds: 0 }),
    );
    expect([moved.status, moved.text]).toEqual([200, expect.stringContaining('"now"')]);
    expect(corsHeaders(moved)).toEqual([]);
    // 127.0.0.1 is this machine too.
    const numeric = await send('api', 'GET', '/_local/health', { Host: `127.0.0.1:${portOf('api')}` });
    expect(numeric.status).toBe(200);
  });

  test("the capture's own viewer still reads, downloads and clears the outbox on its origin", async () => {
    const origin = `http://localhost:${portOf('ses')}`;
    expect((await send('ses', 'GET', '/')).status).toBe(200);
    const store = await send('ses', 'GET', '/store?since=0', { 'Sec-Fetch-Site': 'same-origin' });
    const [email] = (JSON.parse(store.text) as { emails: Array<{ messageId: string }> }).emails;
    const download = await send('ses', 'GET', `/get-emlContent?messageId=${encodeURIComponent(email.messageId)}`);
    expect(download.status).toBe(200);
    const cleared = await send('ses', 'POST', '/clear-store', { Origin: origin, 'Sec-Fetch-Site': 'same-origin' });
    expect(cleared.status).toBe(200);
    expect(await capturedEmails(system.sesUrl)).toEqual([]);
  });
});
