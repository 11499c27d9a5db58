/**
 * Faults, proven against the real local cloud (nothing mocked): Lambda Invoke failures injected through
 * POST <sfn>/_local/faults are retried by the definitions' Retry clauses and the workflows complete; more
 * failures than the retries allow end in a named error (a plagiarism run tells the administrators first); DynamoDB Local stopped for a moment gives clear named
 * errors, a plagiarism execution waits it out through its Retry, and nothing written before is lost.
 * A Reserve whose answer is lost after the function booked (a fault armed with "when": "after") is retried and
 * books once.
 * Retry backoffs are passed by moving the engine clock (POST /_local/clock) once each failure is in the history.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient } from '../../local/services/dynamodb-local';
import { eventually } from '../support/eventually';
import { correctAnswers } from '../system/support/exam';
import {
  examEmail,
  getIncident,
  incidentReaching,
  registerIncident,
  submission,
  type Incident,
} from '../system/support/incidents';
import { emailsTo } from '../system/support/outbox';
import { BookingTables } from '../system/support/booking-tables';
import { reserveBody } from '../system/support/reservations';
import { systemCloudOfThisFile } from '../system/support/system-cloud';
import {
  advanceClock,
  armedFaults,
  executionArns,
  executionDetail,
  executionEnded,
  executionStartedSince,
  failedTasks,
  injectLambdaFault,
  passRetries,
  taskFailures,
  type WireEvent,
} from './support/executions';

/** Each test waits on other processes (function workers, DynamoDB Local's JVM restarting) on a shared machine. */
jest.setTimeout(60_000);

/** Persisted, so that DynamoDB Local can be stopped and started again on the same database. */
const system = systemCloudOfThisFile({ persist: true });

const ADMIN_EMAIL = 'admin@example.com'; // template.yaml's AdminEmail default

/** The task outcomes of a history in order: 'failed:<error>' or 'succeeded'. */
const taskOutcomes = (events: WireEvent[]) =>
  events
    .filter((event) => event.type === 'TaskFailed' || event.type === 'TaskSucceeded')
    .map((event) => (event.type === 'TaskSucceeded' ? 'succeeded' : `failed:${event.taskFailedEventDetails?.error}`));

/** POST /reservations, with the execution it started, so a test can move the clock past its retries. */
async function reserveWhileWatching(body: object) {
  const before = await executionArns(system.sfnUrl);
  const answer = system.api.post('/reservations', body);
  const executionArn = await executionStartedSince(system.sfnUrl, before);
  return { answer, executionArn };
}

/** The runs of ReserveRoomFunction so far: the Lambda runner's segment of each invocation that ran its code. */
const reserveRoomRuns = () =>
  system.cloud
    .getTraces()
    .flatMap((trace) => trace.segments)
    .filter((segment) => segment.name === 'ReserveRoomFunction' && segment.origin === 'AWS::Lambda::Function');

describe('a Lambda that the Lambda service fails for a moment (POST /_local/faults)', () => {
  test('a Reserve completes through two throttled invocations, retried by the definition, and books once', async () => {
    await injectLambdaFault(system.sfnUrl, {
      function: 'ReserveRoomFunction',
      error: 'Lambda.TooManyRequestsException',
      count: 2,
    });
    const body = reserveBody('DELUXE', 40, { ReservationId: `fault-${randomUUID()}` });

    const { answer, executionArn } = await reserveWhileWatching(body);
    await passRetries(system.sfnUrl, executionArn, [1, 2]); // IntervalSeconds 1, BackoffRate 2
    const reserved = await answer;

    expect(reserved.status).toBe(200);
    expect(reserved.body).toMatchObject({ ReservationId: body.ReservationId, Status: 'CONFIRMED', RoomType: 'DELUXE' });
    const { execution, events } = await executionDetail(system.sfnUrl, executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(taskOutcomes(events)).toEqual([
      'failed:Lambda.TooManyRequestsException',
      'failed:Lambda.TooManyRequestsException',
      'succeeded',
    ]);
    expect(failedTasks(events)[0].taskFailedEventDetails?.cause).toContain('Status Code: 429');
    expect(await armedFaults(system.sfnUrl)).toEqual([]);
    expect((await system.api.get(`/reservations/${body.ReservationId}`)).body).toMatchObject({
      Status: 'CONFIRMED',
      RoomNumber: reserved.body.RoomNumber,
    });
  });

  test('a plagiarism run completes through two Lambda service errors of ScheduleExam, with one exam scheduled', async () => {
    await injectLambdaFault(system.sfnUrl, {
      function: 'ScheduleExamFunction',
      error: 'Lambda.ServiceException',
      count: 2,
    });
    const incident = await registerIncident(system.api);
    await passRetries(system.sfnUrl, incident.executionArn, [1, 2]);

    const { link } = await examEmail(system.sesUrl, incident);
    expect((await system.api.post('/exam', submission(link, correctAnswers()), { as: null })).status).toBe(200);
    const resolved = await incidentReaching(system.api, incident.IncidentId, 'RESOLVED');

    expect(resolved.Exams).toHaveLength(1);
    const { execution, events } = await executionEnded(system.sfnUrl, incident.executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    // RegisterIncident, then ScheduleExam twice refused by the service before the third call runs it.
    expect(taskOutcomes(events).slice(0, 4)).toEqual([
      'succeeded',
      'failed:Lambda.ServiceException',
      'failed:Lambda.ServiceException',
      'succeeded',
    ]);
  });

  test('more failures than MaxAttempts end the Reserve in the ServiceUnavailable Fail state: 503 ServiceUnavailable, nothing booked', async () => {
    await injectLambdaFault(system.sfnUrl, {
      function: 'ReserveRoomFunction',
      error: 'Lambda.TooManyRequestsException',
      count: 3,
    });
    const body = reserveBody('SUITE', 41, { ReservationId: `fault-${randomUUID()}` });

    const { answer, executionArn } = await reserveWhileWatching(body);
    await passRetries(system.sfnUrl, executionArn, [1, 2]); // MaxAttempts 2: three calls in all
    const refused = await answer;

    // The API's response mapping answers the call centre's ServiceUnavailable Fail state with its Cause.
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      error: 'ServiceUnavailable',
      message: 'The reservation service is temporarily unavailable. Please try again in a moment.',
    });
    const { execution, events } = await executionDetail(system.sfnUrl, executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ServiceUnavailable' });
    expect(taskOutcomes(events)).toEqual(Array(3).fill('failed:Lambda.TooManyRequestsException'));
    expect((await system.api.get(`/reservations/${body.ReservationId}`)).status).toBe(404);
  });

  test('more failures than MaxAttempts end a plagiarism run with the named Lambda error, after the administrators are told: no exam, no student email, ADMIN_ACTION_REQUIRED', async () => {
    await injectLambdaFault(system.sfnUrl, {
      function: 'ScheduleExamFunction',
      error: 'Lambda.TooManyRequestsException',
      count: 4,
    });
    const incident = await registerIncident(system.api);
    await passRetries(system.sfnUrl, incident.executionArn, [1, 2, 4]);

    const { execution, events } = await executionEnded(system.sfnUrl, incident.executionArn);
    // The execution still shows the real error; the catch-all ran TakeAdministrativeAction (WORKFLOW_FAILED) first.
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.TooManyRequestsException' });
    expect(taskOutcomes(events)).toEqual([
      'succeeded',
      ...Array(4).fill('failed:Lambda.TooManyRequestsException'),
      'succeeded',
    ]);
    expect(await getIncident(system.api, incident.IncidentId)).toMatchObject({
      Status: 'ADMIN_ACTION_REQUIRED',
      Exams: [],
    });
    expect(await emailsTo(system.sesUrl, incident.student.StudentEmail)).toEqual([]);
    const [adminEmail, ...more] = await emailsTo(system.sesUrl, ADMIN_EMAIL, (email) =>
      email.subject.includes(incident.IncidentId),
    );
    expect(more).toEqual([]);
    expect(adminEmail.body.text).toContain(
      `The plagiarism workflow of incident ${incident.IncidentId} stopped at state ScheduleExam with error Lambda.TooManyRequestsException, so the incident needs manual handling`,
    );
  });

  test('a fault request that names no function or no retried error is refused and arms nothing', async () => {
    const post = (fault: unknown) =>
      fetch(`${system.sfnUrl}/_local/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
    for (const fault of [
      { function: 'NoSuchFunction', error: 'Lambda.ServiceException', count: 1 },
      { function: 'ReserveRoomFunction', error: 'States.Timeout', count: 1 },
      { function: 'ReserveRoomFunction', error: 'Lambda.ServiceException', count: 0 },
      { function: 'ReserveRoomFunction', error: 'Lambda.ServiceException', count: 1.5 },
      ['ReserveRoomFunction'],
    ]) {
      const answer = await post(fault);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: 'ValidationError', message: expect.any(String) });
    }
    expect(await armedFaults(system.sfnUrl)).toEqual([]);
  });
});

describe('a Lambda whose answer the Lambda service loses after the code ran (POST /_local/faults with "when": "after")', () => {
  test('a Reserve without ReservationId whose answer is lost after the function booked is retried by the definition and books once', async () => {
    await injectLambdaFault(system.sfnUrl, {
      function: 'ReserveRoomFunction',
      error: 'Lambda.ServiceException',
      count: 1,
      when: 'after',
    });
    const body = reserveBody('SUITE', 44); // no ReservationId: the execution keys the reservation
    const runsBefore = new Set(reserveRoomRuns().map((run) => run.id));
    const { answer, executionArn } = await reserveWhileWatching(body);
    await passRetries(system.sfnUrl, executionArn, [1]); // Lambda.ServiceException: IntervalSeconds 1
    const reserved = await answer;

    expect(reserved.status).toBe(200);
    expect(reserved.body).toMatchObject({
      TransactionType: 'Reserve',
      Status: 'CONFIRMED',
      RoomType: 'SUITE',
      CheckIn: body.CheckIn,
    });
    const { execution, events } = await executionDetail(system.sfnUrl, executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(taskOutcomes(events)).toEqual(['failed:Lambda.ServiceException', 'succeeded']);
    expect(await armedFaults(system.sfnUrl)).toEqual([]);
    // The code ran both times and succeeded both times: the first booked (its answer lost), the retry found it.
    const runs = reserveRoomRuns().filter((run) => !runsBefore.has(run.id));
    expect(runs).toHaveLength(2);
    expect(runs.filter((run) => run.error !== undefined || run.fault !== undefined)).toEqual([]);

    // The lost first run booked; the retry found that booking: one reservation, one room-night, one email.
    const tables = new BookingTables(system.cloud.urls.dynamodb);
    try {
      const { reservations, roomNights } = await tables.read();
      const guests = reservations.filter((reservation) => reservation.GuestEmail === body.GuestEmail);
      expect(guests).toEqual([
        expect.objectContaining({
          ReservationId: reserved.body.ReservationId,
          RoomNumber: reserved.body.RoomNumber,
          Status: 'CONFIRMED',
        }),
      ]);
      expect(roomNights.filter((night) => night.ReservationId === reserved.body.ReservationId)).toEqual([
        { RoomNumber: reserved.body.RoomNumber, Night: body.CheckIn, ReservationId: reserved.body.ReservationId },
      ]);
    } finally {
      tables.close();
    }
    expect(await emailsTo(system.sesUrl, body.GuestEmail)).toHaveLength(1);
  });
});

describe('DynamoDB Local stopped for a moment', () => {
  test('clear named errors while it is down, the plagiarism run waits it out, and nothing written before is lost', async () => {
    const { api, sfnUrl, sesUrl, cloud } = system;
    // Written before the outage: a reservation, and an incident whose exam is waiting for the student.
    const kept = reserveBody('STANDARD', 42, { ReservationId: `kept-${randomUUID()}` });
    expect((await api.post('/reservations', kept)).status).toBe(200);
    const waiting = await registerIncident(api);
    const { link: waitingLink } = await examEmail(sesUrl, waiting);
    const incidentsBefore = (await api.get<{ Items: Incident[] }>('/incidents')).body.Items;
    // At least the waiting incident, so the check after the outage is over something.
    expect(incidentsBefore.map((incident) => incident.IncidentId)).toContain(waiting.IncidentId);

    await cloud.services.dynamodb.stop();
    let duringOutage: Awaited<ReturnType<typeof registerIncident>> | undefined;
    try {
      // POST /reservations: the function's DynamoDB calls fail fast (bounded SDK retries) as ServiceUnavailable,
      // the call centre retries that briefly, then answers 503 ServiceUnavailable: no hang.
      const lost = reserveBody('STANDARD', 43, { ReservationId: `lost-${randomUUID()}` });
      const { answer, executionArn } = await reserveWhileWatching(lost);
      await passRetries(sfnUrl, executionArn, [1]); // IntervalSeconds 1, MaxAttempts 1
      const refused = await answer;
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: 'ServiceUnavailable', message: expect.stringMatching(/try again/) });
      const reserveRun = await executionDetail(sfnUrl, executionArn);
      expect(reserveRun.execution).toMatchObject({ status: 'FAILED', error: 'ServiceUnavailable' });
      expect(taskOutcomes(reserveRun.events)).toEqual(Array(2).fill('failed:ServiceUnavailable'));

      // GET /incidents (a proxy function): 503 ServiceUnavailable, with the Retry-After a client should wait.
      const listing = await fetch(`${api.baseUrl}/incidents`, { headers: await api.credentials('admin') });
      expect(listing.status).toBe(503);
      expect(listing.headers.get('retry-after')).toBe('5');
      expect(await listing.json()).toMatchObject({ error: 'ServiceUnavailable', message: expect.any(String) });

      // A plagiarism run started now fails to register (DynamoDB.SdkClientException: no answer) and retries.
      duringOutage = await registerIncident(api);
      const [registerFailure] = await taskFailures(sfnUrl, duringOutage.executionArn, 1);
      expect(registerFailure.taskFailedEventDetails?.error).toBe('DynamoDB.SdkClientException');

      // Nothing half-written by the refused Reserve (read once DynamoDB is back, below).
      await cloud.services.dynamodb.start();
      expect((await api.get(`/reservations/${lost.ReservationId}`)).status).toBe(404);
      const roomNights = DynamoDBDocumentClient.from(dynamoDbClient(cloud.urls.dynamodb));
      try {
        const { Items = [] } = await roomNights.send(new ScanCommand({ TableName: 'RoomNightsTable' }));
        expect(Items.filter((item) => item.ReservationId === lost.ReservationId)).toEqual([]);
        expect(Items.filter((item) => item.ReservationId === kept.ReservationId)).toHaveLength(1);
      } finally {
        roomNights.destroy();
      }
    } finally {
      await cloud.services.dynamodb.start(); // whatever failed above, the next tests get their database back
    }

    if (!duringOutage) throw new Error('no incident was registered during the outage');
    const { IncidentId: outageIncidentId } = duringOutage;
    // The run registered during the outage goes on at its next retry (the clock is moved past the backoff).
    const outageRun = duringOutage.executionArn;
    const registerOutcomes = await eventually(
      `incident ${outageIncidentId} to be registered after the outage`,
      async () => {
        const outcomes = taskOutcomes((await executionDetail(sfnUrl, outageRun)).events);
        if (outcomes.includes('succeeded')) return outcomes;
        await advanceClock(sfnUrl, 60); // MaxDelaySeconds: past any pending backoff
        return undefined;
      },
    );
    expect((await api.get(`/incidents/${outageIncidentId}`)).status).toBe(200);
    const firstSuccess = registerOutcomes.indexOf('succeeded');
    expect(firstSuccess).toBeGreaterThan(0);
    expect(new Set(registerOutcomes.slice(0, firstSuccess))).toEqual(new Set(['failed:DynamoDB.SdkClientException']));
    const { link } = await examEmail(sesUrl, duringOutage);
    expect((await api.post('/exam', submission(link, correctAnswers()), { as: null })).status).toBe(200);
    expect((await incidentReaching(api, duringOutage.IncidentId, 'RESOLVED')).Exams).toHaveLength(1);

    // Everything from before the outage is still there, and the exam that waited across it still completes.
    expect((await api.get(`/reservations/${kept.ReservationId}`)).body).toMatchObject({
      ReservationId: kept.ReservationId,
      Status: 'CONFIRMED',
    });
    const incidentsAfter = (await api.get<{ Items: Incident[] }>('/incidents')).body.Items;
    for (const incident of incidentsBefore) {
      expect(incidentsAfter.find((item) => item.IncidentId === incident.IncidentId)).toMatchObject({
        IncidentId: incident.IncidentId,
        StudentId: incident.StudentId,
      });
    }
    expect((await api.post('/exam', submission(waitingLink, correctAnswers()), { as: null })).status).toBe(200);
    expect((await incidentReaching(api, waiting.IncidentId, 'RESOLVED')).Exams).toHaveLength(1);
    expect((await getIncident(api, waiting.IncidentId)).Status).toBe('RESOLVED');
    expect((await cloud.health()).ok).toBe(true);
  });
});
