/**
 * Generated hostile requests at every route of the REST API (docs/contract.md), over HTTP against a real local
 * cloud: malformed JSON, wrong types, a megabyte, astral characters and lone surrogates, NUL, RTL, impossible
 * dates, __proto__ keys, script tags, wrong content types. Each is refused with a 4xx and a JSON error body
 * naming the error, and changes nothing: the four tables (read directly in DynamoDB Local), the plagiarism
 * executions and the outbox are the same before and after. The cloud answers as usual afterwards.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { dynamoDbClient } from '../../local/services/dynamodb-local';
import { correctAnswers } from '../system/support/exam';
import { examEmail, registerIncident, newStudent, type RegisteredIncident } from '../system/support/incidents';
import { waitForEmails, type ExamLink } from '../system/support/outbox';
import { futureNight, reserveBody } from '../system/support/reservations';
import { systemCloudOfThisFile } from '../system/support/system-cloud';
import { type StaffRole, staffRoleFor } from '../support/staff-auth';
import {
  bodyText,
  describeBody,
  hostileButValidText,
  hostilePathSegment,
  impossibleDate,
  invalidBody,
  invalidForAnyText,
  lineBreaks,
  malformedText,
  megabyteString,
  notAString,
  percentEncode,
  prototypeKey,
  runs,
  wrongContentType,
  type Body,
} from './arbitraries';
import { withoutEffect, type World } from './observe';

jest.setTimeout(120_000);

const system = systemCloudOfThisFile();
let world: World;
let incident: RegisteredIncident;
let link: ExamLink;

beforeAll(async () => {
  world = {
    dynamodb: dynamoDbClient(system.cloud.urls.dynamodb),
    sfnUrl: system.sfnUrl,
    sesUrl: system.sesUrl,
    stateMachineArns: [system.cloud.stateMachines.PlagiarismStateMachine],
  };
  // A real exam waiting for its answers, so hostile submissions reach the code behind the token check.
  incident = await registerIncident(system.api);
  link = (await examEmail(system.sesUrl, incident)).link;
}, 60_000);

afterAll(() => world?.dynamodb.destroy());

interface RawAnswer {
  status: number;
  text: string;
  body: unknown;
}

interface RawRequest {
  body?: Body;
  /** The Content-Type header; application/json by default when there is a body, null for none. */
  contentType?: string | null;
  /** Whose credentials go with it: the role the route admits by default (staffRoleFor), null for none. */
  as?: StaffRole | null;
}

async function send(method: string, path: string, request: RawRequest = {}): Promise<RawAnswer> {
  const role = request.as === undefined ? staffRoleFor(path) : request.as;
  const headers: Record<string, string> = role === null ? {} : await system.api.credentials(role);
  const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
  if (request.body !== undefined && contentType !== null) headers['content-type'] = contentType;
  const response = await fetch(`${system.api.baseUrl}${path}`, {
    method,
    headers,
    body: request.body === undefined ? undefined : bodyText(request.body),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

/**
 * API Gateway's own refusals (its gateway responses, `{"message": $context.error.messageString}`), the only 4xx
 * answers without the contract's `error` field, and where they are right. A test names the ones its requests
 * may meet; everywhere else a refusal must be `{"error","message"}`.
 */
const GATEWAY_ANSWERS = {
  /**
   * A body whose Content-Type has no request template, on the integrations with passthroughBehavior never (the
   * service integrations of POST /reservations and POST /incident). fetch sends a string body with no
   * Content-Type as text/plain.
   */
  UnsupportedMediaType: { status: 415, body: { message: 'Unsupported Media Type' } },
} as const;

type GatewayAnswer = keyof typeof GATEWAY_ANSWERS;

/**
 * A 4xx whose body is the contract's `{"error":"<Name>","message":"…"}` with one of `errors` (the names this
 * route may answer), or exactly one of the `gateway` answers API Gateway itself gives for this request.
 */
function expectRefused(
  answer: RawAnswer,
  errors: readonly string[],
  what: string,
  gateway: readonly GatewayAnswer[] = [],
): void {
  const context = `${what}\n→ HTTP ${answer.status} ${answer.text.slice(0, 500)}`;
  if (answer.status < 400 || answer.status > 499) throw new Error(`expected a 4xx, got ${context}`);
  const body = answer.body as { error?: unknown; message?: unknown } | undefined;
  if (typeof body !== 'object' || body === null) throw new Error(`the refusal is not a JSON object: ${context}`);
  if (typeof body.message !== 'string' || body.message.trim() === '')
    throw new Error(`the refusal has no message: ${context}`);
  const own = gateway
    .map((name) => GATEWAY_ANSWERS[name])
    .find((expected) => expected.status === answer.status && body.error === undefined);
  if (own) {
    if (!isDeepStrictEqual(body, own.body))
      throw new Error(`expected API Gateway's own ${JSON.stringify(own.body)}, got ${context}`);
    return;
  }
  if (typeof body.error !== 'string') {
    throw new Error(
      `expected {"error","message"} with one of ${errors.join(', ') || '(no error name)'}${gateway.length ? ` or API Gateway's ${gateway.join('/')}` : ''}, got ${context}`,
    );
  }
  if (!errors.includes(body.error)) throw new Error(`expected one of ${errors.join(', ')}, got ${context}`);
}

/** Sends the request and checks it is refused and that nothing anywhere changed. */
async function expectRefusedWithoutEffect(
  method: string,
  path: string,
  request: RawRequest,
  errors: readonly string[],
  gateway: readonly GatewayAnswer[] = [],
): Promise<void> {
  const what = `${method} ${path.length > 300 ? `${path.slice(0, 300)}…` : path} ${request.contentType ?? ''} ${request.body ? describeBody(request.body) : ''}`;
  await withoutEffect(world, what, async () => expectRefused(await send(method, path, request), errors, what, gateway));
}

const reserveErrors = ['ValidationError', 'UnknownTransactionType'] as const;

/** A Reserve that would be accepted as it is. */
const validReserve = () => ({ ...reserveBody('SUITE', 40), CheckOut: futureNight(42) }) as Record<string, unknown>;

const invalidReserve = invalidBody(validReserve, {
  TransactionType: {
    required: true,
    invalid: fc.oneof(notAString, hostileButValidText, fc.constantFrom('reserve', 'RESERVE', ' Reserve', '')),
  },
  GuestName: { required: true, invalid: fc.oneof(invalidForAnyText, fc.constantFrom('', '   ', 'x'.repeat(201))) },
  GuestEmail: {
    required: true,
    invalid: fc.oneof(
      invalidForAnyText,
      hostileButValidText,
      fc.constantFrom('not-an-email', 'a@b', '@example.com', 'a@@example.com', `${'x'.repeat(300)}@example.com`),
    ),
  },
  RoomType: {
    required: true,
    invalid: fc.oneof(
      notAString,
      hostileButValidText,
      malformedText,
      fc.constantFrom('standard', 'PENTHOUSE', '', 'SUITE '),
    ),
  },
  CheckIn: { required: true, invalid: fc.oneof(notAString, impossibleDate, malformedText, fc.constant('2020-01-01')) },
  CheckOut: {
    required: true,
    invalid: fc.oneof(
      notAString,
      impossibleDate,
      malformedText,
      fc.constantFrom(futureNight(40), futureNight(39), futureNight(80)),
    ),
  },
  ReservationId: {
    required: false,
    invalid: fc.oneof(
      invalidForAnyText,
      lineBreaks,
      hostileButValidText,
      fc.constantFrom('', 'x'.repeat(65), 'a/b', 'a b'),
    ),
  },
});

describe('POST /reservations', () => {
  test('an invalid Reserve is refused with ValidationError or UnknownTransactionType and books nothing', async () => {
    await fc.assert(
      fc.asyncProperty(invalidReserve, (body) =>
        expectRefusedWithoutEffect('POST', '/reservations', { body }, reserveErrors),
      ),
      runs(40),
    );
  });

  test('an invalid Cancel is refused (ValidationError, or ReservationNotFound for an id never booked) and changes nothing', async () => {
    const invalidCancel = invalidBody(() => ({ TransactionType: 'Cancel', ReservationId: 'never-booked' }), {
      ReservationId: {
        required: true,
        invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constantFrom('', '   ', 'x'.repeat(65))),
      },
    });
    await fc.assert(
      fc.asyncProperty(invalidCancel, (body) =>
        expectRefusedWithoutEffect('POST', '/reservations', { body }, [...reserveErrors, 'ReservationNotFound']),
      ),
      runs(40),
    );
  });

  test('a body that is not declared as JSON is refused, even a valid Reserve', async () => {
    const body = fc.oneof(fc.constant<Body>({ json: validReserve() }), invalidReserve);
    await fc.assert(
      fc.asyncProperty(body, fc.option(wrongContentType, { nil: null }), (request, contentType) =>
        expectRefusedWithoutEffect('POST', '/reservations', { body: request, contentType }, reserveErrors, [
          'UnsupportedMediaType',
        ]),
      ),
      runs(20),
    );
  });
});

describe('GET /reservations/{ReservationId}', () => {
  test('a hostile id answers 404 ReservationNotFound or 400 ValidationError', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePathSegment, (id) =>
        expectRefusedWithoutEffect('GET', `/reservations/${percentEncode(id)}`, {}, [
          'ReservationNotFound',
          'ValidationError',
        ]),
      ),
      runs(25),
    );
  });
});

const validIncident = () => ({ ...newStudent() }) as Record<string, unknown>;

describe('POST /incident', () => {
  test('an invalid incident is refused with ValidationError and starts no workflow', async () => {
    const invalidIncident = invalidBody(validIncident, {
      StudentId: {
        required: true,
        invalid: fc.oneof(invalidForAnyText, lineBreaks, fc.constantFrom('', 'x'.repeat(65))),
      },
      StudentName: { required: true, invalid: fc.oneof(invalidForAnyText, fc.constantFrom('', 'x'.repeat(201))) },
      StudentEmail: {
        required: true,
        invalid: fc.oneof(
          invalidForAnyText,
          hostileButValidText,
          fc.constantFrom('not-an-email', 'a@b', 'a@@example.com'),
        ),
      },
      IncidentDate: { required: true, invalid: fc.oneof(notAString, impossibleDate, malformedText) },
      Description: {
        required: false,
        invalid: fc.oneof(notAString, malformedText, megabyteString, fc.constant('x'.repeat(2001))),
      },
    });
    await fc.assert(
      fc.asyncProperty(invalidIncident, (body) =>
        expectRefusedWithoutEffect('POST', '/incident', { body }, ['ValidationError']),
      ),
      runs(40),
    );
  });

  test('extra fields, prototype keys among them, are refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(prototypeKey, fc.constantFrom('IncidentId', 'Status', 'Exams', 'executionArn')),
        notAString,
        (key, value) => {
          return expectRefusedWithoutEffect(
            'POST',
            '/incident',
            { body: { json: validIncident(), extra: [key, value] } },
            ['ValidationError'],
          );
        },
      ),
      runs(15),
    );
  });

  test('a valid incident with a wrong content type is refused', async () => {
    await fc.assert(
      fc.asyncProperty(wrongContentType, (contentType) =>
        expectRefusedWithoutEffect(
          'POST',
          '/incident',
          { body: { json: validIncident() }, contentType },
          ['ValidationError'],
          ['UnsupportedMediaType'],
        ),
      ),
      runs(8),
    );
  });
});

describe('GET /incidents and /incidents/{IncidentId}', () => {
  // GET /incidents knows its parameters (limit, nextToken, status, studentId, select): any other name is refused.
  test('hostile query strings are refused as ValidationError and change nothing; without signing in it is 401', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostilePathSegment, prototypeKey, fc.constantFrom('toString', 'hasOwnProperty', 'valueOf')),
        hostilePathSegment,
        (name, value) => {
          const query = `${percentEncode(name)}=${percentEncode(value)}`;
          return withoutEffect(world, `GET /incidents?${query}`, async () => {
            expectRefused(await send('GET', `/incidents?${query}`), ['ValidationError'], `GET /incidents?${query}`);
            expectRefused(
              await send('GET', `/incidents?${percentEncode(name)}=1`, { as: null }),
              ['Unauthorized'],
              'GET /incidents without signing in',
            );
          });
        },
      ),
      runs(15),
    );
  });

  // API Gateway's query and header maps are Java Maps: a name such as constructor is a key like any other.
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'a query parameter named %s is a ValidationError, a header so named changes nothing',
    async (name) => {
      expectRefused(await send('GET', `/incidents?${name}=1&${name}=2`), ['ValidationError'], `?${name}=1&${name}=2`);
      const withHeader = await fetch(`${system.api.baseUrl}/incidents`, {
        headers: { ...(await system.api.credentials('admin')), [name]: 'x' },
      });
      expect(withHeader.status).toBe(200);
      expect(Array.isArray(((await withHeader.json()) as { Items?: unknown }).Items)).toBe(true);
    },
  );

  test('a hostile id answers 404 IncidentNotFound or 400 ValidationError', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePathSegment, (id) =>
        expectRefusedWithoutEffect('GET', `/incidents/${percentEncode(id)}`, {}, [
          'IncidentNotFound',
          'ValidationError',
        ]),
      ),
      runs(25),
    );
  });
});

const examErrors = ['ValidationError', 'ExamNotFound', 'InvalidToken', 'ExamExpired', 'ExamAlreadySubmitted'] as const;

/** Answers objects that are no valid answer sheet: wrong types, unknown questions or choices, prototype keys. */
const invalidAnswers: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 })),
  fc
    .constantFrom(
      '{"__proto__":"a"}',
      '{"constructor":"a"}',
      '{"prototype":{"a":1}}',
      '{"Q1":5}',
      '{"Q1":"zz"}',
      '{"Q1":{"S":"a"}}',
      '{"NoSuchQuestion":"a"}',
    )
    .map((text) => JSON.parse(text) as unknown),
  fc
    .tuple(fc.constantFrom(...Object.keys(correctAnswers())), fc.oneof(notAString, hostileButValidText, malformedText))
    .map(([question, choice]) => ({
      ...correctAnswers(),
      [question]: choice,
    })),
);

describe('POST /exam', () => {
  test('an invalid submission for the real exam is refused, records nothing and leaves the workflow waiting', async () => {
    const realSubmission = () =>
      ({
        IncidentId: link.IncidentId,
        ExamId: link.ExamId,
        TaskToken: link.TaskToken,
        Answers: correctAnswers(),
      }) as Record<string, unknown>;
    const invalidSubmission = invalidBody(realSubmission, {
      IncidentId: {
        required: true,
        invalid: fc.oneof(invalidForAnyText, lineBreaks, hostileButValidText, fc.constant('')),
      },
      ExamId: {
        required: true,
        invalid: fc.oneof(invalidForAnyText, lineBreaks, hostileButValidText, fc.constant('')),
      },
      TaskToken: {
        required: true,
        invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constant(''), fc.constant('x'.repeat(8193))),
      },
      Answers: { required: true, invalid: invalidAnswers },
    });
    // Always tried: an answer under a __proto__ key with the real token (zod drops the key, which made it a
    // submission of no answers, recorded as FAILED).
    const prototypeAnswers: Body = {
      json: { ...realSubmission(), Answers: JSON.parse('{"__proto__":"a"}') as unknown },
    };
    await fc.assert(
      fc.asyncProperty(invalidSubmission, (body) =>
        expectRefusedWithoutEffect('POST', '/exam', { body, as: null }, examErrors),
      ),
      { ...runs(40), examples: [[prototypeAnswers]] },
    );
    // The exam is still open: a correct submission with the link's token is accepted now.
    const answer = await send('POST', '/exam', { body: { json: realSubmission() }, as: null });
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 200,
      body: expect.objectContaining({ Passed: true, Score: 100 }),
    });
  });

  // Over Lambda's 6 MB invoke payload the function could not even be called (a 500): API Gateway's ExamSubmission
  // model refuses such a body first, whatever its Content-Type, and over 10 MB API Gateway itself answers 413.
  test('a submission of 7 MB, or padded with whitespace to 6-9 MB, is refused with 400 ValidationError, and of 11 MB with 413, recording nothing', async () => {
    const real = { IncidentId: link.IncidentId, ExamId: link.ExamId, TaskToken: link.TaskToken };
    const sevenMegabytes = 'x'.repeat(7 * 1024 * 1024);
    const huge: Body[] = [
      { json: { ...real, Answers: { ...correctAnswers(), q1: sevenMegabytes } } },
      { json: { ...real, Answers: correctAnswers(), Notes: sevenMegabytes } },
      { json: { ...real, TaskToken: `${link.TaskToken}${sevenMegabytes}`, Answers: correctAnswers() } },
    ];
    for (const body of huge) {
      for (const contentType of ['application/json', 'text/plain']) {
        await expectRefusedWithoutEffect('POST', '/exam', { body, contentType, as: null }, ['ValidationError']);
      }
    }
    // Whitespace between the tokens is bounded by no schema: a valid submission padded to 6-10 MB passes the model
    // and makes a proxy event over Lambda's 6 MB, which API Gateway refuses with its REQUEST_TOO_LARGE response:
    // the API's own, 400 ValidationError as for any oversized body (it was a 500 from the failed invoke).
    for (const megabytes of [6, 7, 9]) {
      const padding = ' '.repeat(megabytes * 1024 * 1024);
      const padded = `{"IncidentId":${JSON.stringify(real.IncidentId)},${padding}"ExamId":${JSON.stringify(real.ExamId)},"TaskToken":${JSON.stringify(real.TaskToken)},"Answers":${JSON.stringify(correctAnswers())}}`;
      expect(JSON.parse(padded)).toEqual({ ...real, Answers: correctAnswers() });
      await expectRefusedWithoutEffect('POST', '/exam', { body: { text: padded }, as: null }, ['ValidationError']);
    }
    const tooLong = await send('POST', '/exam', {
      body: { json: { ...real, Answers: { q1: 'x'.repeat(11 * 1024 * 1024) } } },
      as: null,
    });
    expect({ status: tooLong.status, body: tooLong.body }).toEqual({
      status: 413,
      body: { message: 'Request Too Long' },
    });
  });
});

describe('GET /exam/questions', () => {
  test('without link parameters it answers the questions whatever else the query holds', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePathSegment, hostilePathSegment, async (name, value) => {
        // The name prefixed, so it is never one of the link's parameters.
        const answer = await send('GET', `/exam/questions?q${percentEncode(name)}=${percentEncode(value)}`, {
          as: null,
        });
        expect(answer.status).toBe(200);
        expect((answer.body as { Questions: unknown[] }).Questions.length).toBeGreaterThanOrEqual(9);
      }),
      runs(10),
    );
  });

  test('hostile link parameters are refused with the contract errors', async () => {
    const parameter = fc.option(fc.oneof(hostilePathSegment, fc.constant(''), fc.constantFrom('real')), {
      nil: undefined,
    });
    await fc.assert(
      fc.asyncProperty(parameter, parameter, parameter, fc.boolean(), async (incidentId, examId, token, duplicate) => {
        const real = { IncidentId: incident.IncidentId, ExamId: link.ExamId, TaskToken: 'forged' };
        const values = { IncidentId: incidentId, ExamId: examId, TaskToken: token };
        const query = Object.entries(values)
          .filter((entry): entry is [string, string] => entry[1] !== undefined)
          .map(
            ([name, value]) => `${name}=${percentEncode(value === 'real' ? real[name as keyof typeof real] : value)}`,
          );
        if (query.length === 0) query.push('IncidentId=');
        // A repeated parameter: API Gateway's proxy event keeps the last one in queryStringParameters.
        if (duplicate) query.push(`${query[0].split('=')[0]}=%00`);
        await expectRefusedWithoutEffect('GET', `/exam/questions?${query.join('&')}`, { as: null }, examErrors);
      }),
      runs(40),
    );
  });
});

/**
 * Each hostileButValidText value and the HTML an email must show it as, written out here rather than computed by
 * the code under test: &, <, >, " and ' become entities, everything else (RTL, astral, template syntax) stays.
 */
const EXPECTED_HTML: Readonly<Record<string, string>> = {
  '<script>alert(1)</script>': '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<img src=x onerror=alert(1)>': '&lt;img src=x onerror=alert(1)&gt;',
  '"><svg onload=alert(1)>': '&quot;&gt;&lt;svg onload=alert(1)&gt;',
  "Robert'); DROP TABLE Students;--": 'Robert&#39;); DROP TABLE Students;--',
  '\u202eevil\u202c name': '\u202eevil\u202c name',
  'שלום עולם': 'שלום עולם',
  مرحبا: 'مرحبا',
  '𝕳𝖊𝖑𝖑𝖔 😀 🏳️‍🌈': '𝕳𝖊𝖑𝖑𝖔 😀 🏳️‍🌈',
  'Zoë Ångström': 'Zoë Ångström',
  '{{7*7}} ${7*7} #{7*7}': '{{7*7}} ${7*7} #{7*7}',
  '%s%s%s%n': '%s%s%s%n',
  '../../etc/passwd': '../../etc/passwd',
};

/** The HTML the table gives for a generated name; a name the table lacks fails the test rather than passing unchecked. */
function expectedHtml(name: string): string {
  const html = EXPECTED_HTML[name];
  if (html === undefined) throw new Error(`no expected HTML for ${JSON.stringify(name)}: add it to EXPECTED_HTML`);
  return html;
}

test('the escaping table covers every hostile-but-valid text the properties generate', () => {
  expect(new Set(fc.sample(hostileButValidText, { numRuns: 500, seed: 1 }))).toEqual(
    new Set(Object.keys(EXPECTED_HTML)),
  );
  expect(Object.entries(EXPECTED_HTML).filter(([text, html]) => html !== text)).toHaveLength(4);
});

describe('hostile but valid text', () => {
  test('a name with markup, right-to-left or astral characters is booked, answered exactly as sent, and escaped in the email', async () => {
    let night = 100;
    await fc.assert(
      fc.asyncProperty(hostileButValidText, async (name) => {
        night += 1; // a night of its own per run, so every run finds a free room
        const request = reserveBody('STANDARD', night, { GuestName: name });
        const answer = await send('POST', '/reservations', { body: { json: request } });
        expect({ status: answer.status, body: answer.body }).toEqual({
          status: 200,
          body: expect.objectContaining({ Status: 'CONFIRMED' }),
        });
        const { ReservationId } = answer.body as { ReservationId: string };
        const stored = await send('GET', `/reservations/${encodeURIComponent(ReservationId)}`);
        expect(stored.body).toMatchObject({ GuestName: name });
        const [email] = await waitForEmails(system.sesUrl, request.GuestEmail, 1);
        expect(email.body.text).toContain(name);
        expect(email.body.html).toContain(expectedHtml(name));
        // The raw text appears in the HTML exactly when escaping leaves it as it is (no markup got through).
        expect(email.body.html!.includes(name)).toBe(expectedHtml(name) === name);
      }),
      runs(8),
    );
  });
});

describe('hostile but valid text in an incident', () => {
  test('a student name and description with markup or right-to-left text are registered and answered exactly as sent', async () => {
    await fc.assert(
      fc.asyncProperty(hostileButValidText, hostileButValidText, async (name, description) => {
        const registered = await registerIncident(system.api, {
          ...newStudent(),
          StudentName: name,
          Description: `${description}\nsecond line`,
        });
        const { email } = await examEmail(system.sesUrl, registered);
        const incident = await send('GET', `/incidents/${encodeURIComponent(registered.IncidentId)}`);
        expect(incident.body).toMatchObject({ StudentName: name, Description: `${description}\nsecond line` });
        expect(email.body.html).toContain(expectedHtml(name));
        expect(email.body.html!.includes(name)).toBe(expectedHtml(name) === name);
      }),
      runs(5),
    );
  });
});

describe('after the hostile requests', () => {
  test('the local cloud is healthy and valid requests work', async () => {
    const health = await send('GET', '/_local/health', { as: null });
    expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: { status: 'ok' } });

    const reserve = await send('POST', '/reservations', { body: { json: validReserve() } });
    expect({ status: reserve.status, body: reserve.body }).toEqual({
      status: 200,
      body: expect.objectContaining({ Status: 'CONFIRMED' }),
    });
    const registered = await registerIncident(system.api);
    expect(registered.IncidentId).toEqual(expect.any(String));
  });
});
