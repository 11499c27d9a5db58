/**
 * Crash safety (docs/contract.md "The local cloud"): an execution waiting for a task token when `npm start` is
 * killed with `kill -9` still accepts that token after `npm start` comes back on the same state and runs to its
 * end, and a deadline another one was waiting for still fires; every earlier incident and reservation is still
 * there. The kill lands in the middle of a burst of requests (20 POST /incident, 20 POST /reservations at once):
 * every execution the API acknowledged completes after the restart, none is lost or run twice, each student gets
 * the exam email once (twice only if the kill fell between SES accepting it and its record), and a request that
 * got no answer happened wholly or not at all. The real `npm start`, in a process group of its own, on free ports
 * and a temporary LOCAL_STATE_DIR; one test, because each start costs a build check and DynamoDB Local's JVM.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Exam } from '../../functions/shared/plagiarism/incident';
import { dynamoDbClient } from '../../local/services/dynamodb-local';
import { sfnClient } from '../../local/sfn-api/client';
import { BookingTables, bookingInconsistencies } from './support/booking-tables';
import { correctAnswers } from './support/exam';
import { ApiClient, type ApiAnswer } from './support/http';
import {
  examEmail,
  getIncident,
  incidentReaching,
  newStudent,
  registerIncident,
  submission,
  type Incident,
  type StudentRequest,
} from './support/incidents';
import { spawnNpmStart, type NpmStart } from './support/npm-start';
import { capturedEmails, emailsTo, examLink, waitForEmails } from './support/outbox';
import { freeCloudPorts } from './support/ports';
import { reserveBody, type ReserveBody } from './support/reservations';
import { eventually } from '../support/eventually';
import { staffHeaders, staffRoleFor } from '../support/staff-auth';

/** Two starts of the whole system (build, DynamoDB Local's JVM) on a shared 2-core machine. */
const TEST_TIMEOUT_MS = 300_000;

/** Requests of each kind sent at once just before the kill. */
const BURST = 20;

interface BurstRequest<Body> {
  body: Body;
  /** The answer, if one came before the kill cut the connection. */
  answer?: ApiAnswer;
}

interface Burst {
  incidents: BurstRequest<StudentRequest>[];
  reservations: BurstRequest<ReserveBody>[];
  /** Resolves once every request has its answer or lost its connection. */
  settled: Promise<unknown>;
}

/**
 * Sends BURST POST /incident and BURST POST /reservations at once (each Reserve for a night of its own, so none is
 * refused for want of a room); resolves once a few of each are answered and the others are still in flight.
 */
async function startBurst(api: ApiClient): Promise<Burst> {
  const incidents: BurstRequest<StudentRequest>[] = Array.from({ length: BURST }, () => ({ body: newStudent() }));
  const reservations: BurstRequest<ReserveBody>[] = Array.from({ length: BURST }, (_, index) => ({
    body: reserveBody('STANDARD', 200 + index, { ReservationId: `burst-${randomUUID()}` }),
  }));
  const send = async (request: BurstRequest<object>, route: string) => {
    try {
      request.answer = await api.post(route, request.body);
    } catch {
      // No answer: the kill reset the connection.
    }
  };
  const settled = Promise.all([
    ...incidents.map((request) => send(request, '/incident')),
    ...reservations.map((request) => send(request, '/reservations')),
  ]);
  const answered = (requests: BurstRequest<object>[]) => requests.filter((request) => request.answer).length;
  await eventually(
    'the first answers of the burst',
    async () => (answered(incidents) >= 2 && answered(reservations) >= 2 ? true : undefined),
    {
      timeoutMs: 60_000,
    },
  );
  return { incidents, reservations, settled };
}

/**
 * POSTs `body` with node:http, which tells when the request's bytes were handed to the kernel on an established
 * connection (the end callback): resolves then with the request, whose `answer` is set if one ever comes, and
 * `done`, which resolves once it has its answer or lost its connection. Sent to a frozen npm start, the kernel
 * accepts the connection and the bytes, and nobody answers.
 */
async function sendHeld<Body extends object>(
  apiUrl: string,
  route: string,
  body: Body,
): Promise<{ request: BurstRequest<Body>; done: Promise<void> }> {
  const request: BurstRequest<Body> = { body };
  const text = JSON.stringify(body);
  const credentials = await staffHeaders({ apiUrl }, staffRoleFor(route));
  let written: () => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const sent = new Promise<void>((resolve, reject) => {
    written = resolve;
    failed = reject;
  });
  const done = new Promise<void>((resolve) => {
    const outgoing = httpRequest(
      `${apiUrl}${route}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...credentials,
        },
      },
      (response) => {
        let data = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (data += chunk));
        response.on('end', () => {
          request.answer = {
            status: response.statusCode ?? 0,
            body: JSON.parse(data || '{}') as Record<string, unknown>,
            text: data,
          };
          resolve();
        });
        response.on('error', () => resolve());
      },
    );
    outgoing.on('error', (error) => {
      failed(error); // no effect once the request was written
      resolve(); // no answer: the kill reset the connection
    });
    outgoing.end(text, () => written());
  });
  await sent;
  return { request, done };
}

/** Every plagiarism execution, through the Step Functions API's ListExecutions. */
async function plagiarismExecutions(sfnUrl: string, stateMachineArn: string): Promise<ExecutionListItem[]> {
  const sfn = sfnClient(sfnUrl, 'us-east-1');
  try {
    return (await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }))).executions ?? [];
  } finally {
    sfn.destroy();
  }
}

/** The history problems a resume could cause: event ids not 1..n in order, a start or an end recorded twice. */
async function historyProblems(sfnUrl: string, executionArn: string): Promise<string[]> {
  const response = await fetch(`${sfnUrl}/_local/executions/${encodeURIComponent(executionArn)}`);
  const { events } = (await response.json()) as { events: Array<{ id: number; type: string }> };
  const problems: string[] = [];
  if (events.some((event, index) => event.id !== index + 1))
    problems.push(`${executionArn}: event ids ${events.map((event) => event.id).join(',')}`);
  for (const type of ['ExecutionStarted', 'ExecutionSucceeded']) {
    const count = events.filter((event) => event.type === type).length;
    if (count !== 1) problems.push(`${executionArn}: ${count} ${type} events`);
  }
  return problems;
}

/** The exam as stored in IncidentsTable, read straight from DynamoDB Local (the read APIs leave its record out). */
async function storedExam(dynamodbUrl: string, incidentId: string, examId: string): Promise<Exam> {
  const documents = DynamoDBDocumentClient.from(dynamoDbClient(dynamodbUrl));
  try {
    const { Item } = await documents.send(
      new GetCommand({ TableName: 'IncidentsTable', Key: { IncidentId: incidentId }, ConsistentRead: true }),
    );
    const exam = (Item?.Exams as Exam[] | undefined)?.find((stored) => stored.ExamId === examId);
    if (!exam) throw new Error(`IncidentsTable holds no exam ${examId} of incident ${incidentId}`);
    return exam;
  } finally {
    documents.destroy();
  }
}

let stateDir: string;
const runs: NpmStart[] = [];

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'crash-safety-'));
});

afterAll(async () => {
  // Whatever happened, no process of either run outlives the test.
  await Promise.all(runs.map((run) => run.stop(5000)));
  await rm(stateDir, { recursive: true, force: true });
});

test(
  'kill -9 of npm start while an exam waits for its token: after a restart the token still works and nothing is lost',
  async () => {
    const ports = await freeCloudPorts();
    const start = () => {
      const run = spawnNpmStart({ ports, stateDir });
      runs.push(run);
      return run;
    };
    const first = start();
    const api = new ApiClient(first.apiUrl);
    const sesUrl = first.sesUrl;

    await first.waitUntilHealthy();

    const reservation = await api.post('/reservations', reserveBody('STANDARD', 5));
    expect(reservation.status).toBe(200);
    const finished = await registerIncident(api);
    const { link: finishedLink } = await examEmail(sesUrl, finished);
    expect((await api.post('/exam', submission(finishedLink, correctAnswers()), { as: null })).status).toBe(200);
    await incidentReaching(api, finished.IncidentId, 'RESOLVED');
    const waiting = await registerIncident(api);
    const { link } = await examEmail(sesUrl, waiting);
    const neverSat = await registerIncident(api);
    const { link: neverSatLink } = await examEmail(sesUrl, neverSat);
    const before = (await api.get<{ Items: Incident[] }>('/incidents')).body.Items;
    expect(before.map((incident) => incident.IncidentId).sort()).toEqual(
      [finished, waiting, neverSat].map((incident) => incident.IncidentId).sort(),
    );
    const emailsBefore = await capturedEmails(sesUrl);

    const burst = await startBurst(api);
    // The crash happens at this instant: the whole group stopped at once (SIGSTOP), then killed. Whatever was
    // half done stays half done; nothing runs in between.
    const killedAt = Date.now();
    await first.freeze();
    // Requests certainly in flight when the kill lands, whatever the timing of the burst: sent, on connections the
    // kernel accepted, to a server that can no longer answer them. They count as burst requests from here on
    // (each must have happened wholly or not at all).
    const heldIncident = await sendHeld(first.apiUrl, '/incident', newStudent());
    const heldReservation = await sendHeld(
      first.apiUrl,
      '/reservations',
      reserveBody('STANDARD', 200 + BURST, { ReservationId: `burst-${randomUUID()}` }),
    );
    const held = [heldIncident, heldReservation];
    burst.incidents.push(heldIncident.request);
    burst.reservations.push(heldReservation.request);
    await first.kill9();
    await burst.settled;
    await Promise.all(held.map(({ done }) => done));
    await expect(fetch(`${first.apiUrl}/_local/health`)).rejects.toThrow();

    // The kill landed with requests in flight: the held ones got no answer, so fewer requests were answered than
    // sent; and it landed mid-burst, after some of each kind were answered.
    expect(held.map(({ request }) => request.answer)).toEqual([undefined, undefined]);
    const sent = [...burst.incidents, ...burst.reservations];
    const answered = sent.filter((request) => request.answer);
    expect(sent).toHaveLength(2 * BURST + held.length);
    expect(answered.length).toBeLessThanOrEqual(sent.length - held.length);
    expect(burst.incidents.filter((request) => request.answer).length).toBeGreaterThanOrEqual(2);
    expect(burst.reservations.filter((request) => request.answer).length).toBeGreaterThanOrEqual(2);

    const second = start();
    await second.waitUntilHealthy();

    // Everything from before the crash is still there: incidents, the reservation, the outbox.
    const after = (await api.get<{ Items: Incident[] }>('/incidents')).body.Items;
    for (const incident of before)
      expect(after.find((item) => item.IncidentId === incident.IncidentId)).toEqual(incident);
    const stored = await api.get(`/reservations/${reservation.body.ReservationId as string}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ ReservationId: reservation.body.ReservationId, Status: 'CONFIRMED' });
    expect((await capturedEmails(sesUrl)).slice(0, emailsBefore.length).map((email) => email.messageId)).toEqual(
      emailsBefore.map((email) => email.messageId),
    );

    // The burst: whatever was answered was answered 200, and every acknowledged incident's execution is listed.
    for (const request of [...burst.incidents, ...burst.reservations]) {
      if (request.answer)
        expect({ status: request.answer.status, body: request.answer.body }).toMatchObject({ status: 200 });
    }
    const stateMachineArn = finished.executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
    const acknowledged = burst.incidents
      .filter((request) => request.answer)
      .map((request) => request.answer!.body as { IncidentId: string; executionArn: string });
    expect(acknowledged.length).toBeGreaterThanOrEqual(2);
    const listed = await plagiarismExecutions(second.sfnUrl, stateMachineArn);
    for (const { executionArn } of acknowledged)
      expect(listed.map((execution) => execution.executionArn)).toContain(executionArn);
    // Every burst execution (acknowledged or not) reaches its exam: the incident registered with one exam, the
    // student emailed its link.
    const known = new Set([finished, waiting, neverSat].map((incident) => incident.executionArn));
    const burstRuns = listed.filter((execution) => !known.has(execution.executionArn!));
    expect(burstRuns.length).toBeGreaterThanOrEqual(acknowledged.length);
    for (const run of burstRuns) {
      const incident = await eventually(`incident ${run.name} to have its exam`, async () => {
        const answer = await api.get<Incident>(`/incidents/${run.name}`);
        return answer.status === 200 && answer.body.Exams.length > 0 ? answer.body : undefined;
      });
      await waitForEmails(sesUrl, incident.StudentEmail, 1, (email) =>
        (email.body.text ?? '').includes(incident.IncidentId),
      );
    }

    // The execution that waited across the crash takes its token and runs to its end.
    const answer = await api.post('/exam', submission(link, correctAnswers()), { as: null });
    if (answer.status !== 200)
      throw new Error(`POST /exam after the restart answered ${answer.status}: ${answer.text}\n${second.output()}`);
    expect(answer.body).toMatchObject({ IncidentId: waiting.IncidentId, ExamId: link.ExamId, Passed: true });
    const resolved = await incidentReaching(api, waiting.IncidentId, 'RESOLVED');
    expect(resolved.Exams[0]).toMatchObject({ ExamId: link.ExamId, Result: 'PASSED' });
    expect((await getIncident(api, finished.IncidentId)).Status).toBe('RESOLVED');

    // The other exam's one-week deadline was re-armed by the restart: it still expires.
    const clock = await fetch(`${second.sfnUrl}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 604_800 + 60 }),
    });
    expect(clock.status).toBe(200);
    const expired = await incidentReaching(api, neverSat.IncidentId, 'ADMIN_ACTION_REQUIRED');
    expect(expired.Exams[0]).toMatchObject({ ExamId: neverSatLink.ExamId, Result: 'NOT_SAT' });

    // ...and so did the burst's: each ran once, with exactly one exam and one exam link, and ended.
    for (const run of burstRuns) {
      const incident = await incidentReaching(api, run.name!, 'ADMIN_ACTION_REQUIRED');
      expect(incident.Exams).toHaveLength(1);
      expect(incident.Exams[0].Result).toBe('NOT_SAT');
      const examEmails = await emailsTo(sesUrl, incident.StudentEmail, (email) =>
        (email.body.text ?? '').includes('/testcentre/'),
      );
      // One email with one link: the exam and the token it was sent with. A SendExamNotification invocation the
      // kill cut is invoked again on resume with the same token, and skips the email its exam records as sent for
      // that token.
      const links = examEmails.map(examLink).map((link) => `exam ${link.ExamId} token ${link.TaskToken}`);
      expect(new Set(links)).toEqual(
        new Set([`exam ${incident.Exams[0].ExamId} token ${examLink(examEmails[0]).TaskToken}`]),
      );
      if (links.length > 1) {
        // Delivery is at least once: a kill after SES accepted the email but before the exam recorded it sends
        // the email again on resume. Only then: twice, the first before the kill, and the record is the resumed
        // invocation's, written after it (a record from before the kill, written once per token, would still be
        // there, and should have stopped the second email).
        const { NotifiedAt } = await storedExam(
          `http://localhost:${ports.dynamodb}`,
          incident.IncidentId,
          incident.Exams[0].ExamId,
        );
        expect({
          emails: links.length,
          firstBeforeKill: examEmails[0].at * 1000 <= killedAt,
          recordedAfterKill: Date.parse(NotifiedAt ?? '') > killedAt,
        }).toEqual({
          emails: 2,
          firstBeforeKill: true,
          recordedAfterKill: true,
        });
      }
    }
    const listedSince = after.concat((await api.get<{ Items: Incident[] }>('/incidents')).body.Items);
    for (const request of burst.incidents) {
      const registered = listedSince.filter((item) => item.StudentId === request.body.StudentId);
      expect(new Set(registered.map((item) => item.IncidentId)).size).toBeLessThanOrEqual(1);
    }
    const ended = await eventually('every plagiarism execution to end', async () => {
      const executions = await plagiarismExecutions(second.sfnUrl, stateMachineArn);
      return executions.every((execution) => execution.status !== 'RUNNING') ? executions : undefined;
    });
    expect(ended.map((execution) => execution.status)).toEqual(ended.map(() => 'SUCCEEDED'));
    expect(new Set(ended.map((execution) => execution.name)).size).toBe(ended.length);
    const histories = await Promise.all(
      ended.map((execution) => historyProblems(second.sfnUrl, execution.executionArn!)),
    );
    expect(histories.flat()).toEqual([]);

    // Reservations: an acknowledged one is booked once; an unanswered one wholly or not at all.
    for (const request of burst.reservations) {
      const storedReservation = await api.get(`/reservations/${request.body.ReservationId}`);
      if (request.answer)
        expect(storedReservation.body).toMatchObject({
          Status: 'CONFIRMED',
          RoomNumber: request.answer.body.RoomNumber,
        });
      else expect([200, 404]).toContain(storedReservation.status);
    }
    const tables = new BookingTables(`http://localhost:${ports.dynamodb}`);
    try {
      const bookings = await tables.read();
      expect(bookingInconsistencies(bookings)).toEqual([]);
      for (const request of burst.reservations) {
        const records = bookings.reservations.filter((item) => item.ReservationId === request.body.ReservationId);
        const nights = bookings.roomNights.filter((item) => item.ReservationId === request.body.ReservationId);
        expect({ id: request.body.ReservationId, records: records.length, nights: nights.length }).toEqual({
          id: request.body.ReservationId,
          records: request.answer ? 1 : records.length,
          nights: records.length,
        });
      }
    } finally {
      tables.close();
    }

    // Ctrl-C stops every child process, as a stop: no service is taken for crashed and started again on the way.
    expect(await second.stop()).toBe('stopped');
    expect(second.output()).not.toMatch(/stopped unexpectedly|is back on port/);
  },
  TEST_TIMEOUT_MS,
);
