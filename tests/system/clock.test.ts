/**
 * One clock for the whole local cloud (local/sfn-api/README.md "The clock"): after POST <sfn>/_local/clock the
 * functions see the engine's time (a reservation's Timestamp, an exam's Deadline and the date its email states are
 * the ones the engine enforces), and a restart of the local cloud on its state keeps the offset, so no timestamp goes
 * backwards and GET /incidents stays newest first. A real local cloud on kept state, started twice; nothing mocked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud, type LocalCloudPorts } from '../../local/cloud';
import { functionBundles } from '../support/function-bundles';
import { ApiClient } from './support/http';
import {
  examEmail,
  getIncident,
  incidentReaching,
  registerIncident,
  type Incident,
  type RegisteredIncident,
} from './support/incidents';
import { freeCloudPorts } from './support/ports';

jest.setTimeout(240_000);

const WEEK_S = 7 * 24 * 3600;

let dir: string;
let ports: LocalCloudPorts;
let cloud: LocalCloud | undefined;
let api: ApiClient;

async function start(): Promise<void> {
  cloud = await startLocalCloud({
    ports,
    persist: true,
    stateDir: path.join(dir, 'state'),
    ...functionBundles(),
    webRoot: path.join(dir, 'web'),
  });
  api = new ApiClient(cloud.urls.api);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'system-clock-'));
  ports = await freeCloudPorts();
  await start();
}, 180_000);

afterAll(async () => {
  await cloud?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function clockNow(): Promise<number> {
  const response = await fetch(`${cloud!.urls.sfn}/_local/clock`);
  return Date.parse(((await response.json()) as { now: string }).now);
}

async function advanceClock(seconds: number): Promise<void> {
  const response = await fetch(`${cloud!.urls.sfn}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  expect(response.status).toBe(200);
}

interface WireEvent {
  type: string;
  timestamp: number;
  previousEventId: number;
  id: number;
  taskScheduledEventDetails?: { parameters: string };
  stateEnteredEventDetails?: { name: string };
}

/** An execution's history from the local dashboard endpoint (epoch seconds, EXPRESS included). */
async function historyOf(executionArn: string): Promise<WireEvent[]> {
  const response = await fetch(`${cloud!.urls.sfn}/_local/executions/${encodeURIComponent(executionArn)}`);
  return ((await response.json()) as { events: WireEvent[] }).events;
}

/** The call-centre execution of a Reserve: the newest one (this file sends one at a time), checked by its input. */
async function callCentreExecution(reservationId: string): Promise<{ startDate: number; stopDate: number }> {
  const list = await fetch(`${cloud!.urls.sfn}/_local/executions`);
  const { executions } = (await list.json()) as { executions: { executionArn: string; stateMachineName: string }[] };
  const newest = executions.find((execution) => execution.stateMachineName === 'CallCentreStateMachine');
  if (!newest) throw new Error('no call-centre execution');
  const detail = await fetch(`${cloud!.urls.sfn}/_local/executions/${encodeURIComponent(newest.executionArn)}`);
  const { execution } = (await detail.json()) as { execution: { input: string; startDate: number; stopDate: number } };
  expect(JSON.parse(execution.input)).toMatchObject({ ReservationId: reservationId });
  return execution;
}

const registered: { incident: RegisteredIncident; CreatedAt: string }[] = [];

/** Registers an incident and waits for its exam to be scheduled (the exam email is the last step of that). */
async function register(): Promise<{ incident: RegisteredIncident; stored: Incident }> {
  const incident = await registerIncident(api);
  await examEmail(cloud!.urls.ses, incident);
  const stored = await incidentReaching(api, incident.IncidentId, 'EXAM_SCHEDULED');
  registered.push({ incident, CreatedAt: (stored as Incident & { CreatedAt: string }).CreatedAt });
  return { incident, stored };
}

test('an incident registered before the clock moves', async () => {
  await register();
});

describe('a week on (POST /_local/clock)', () => {
  beforeAll(() => advanceClock(WEEK_S));

  test("a function's output carries the engine's time: a reservation's Timestamp lies within its execution", async () => {
    const reservationId = `clock-${Date.now()}`;
    const answer = await api.post<{ Timestamp: string; Status: string }>('/reservations', {
      TransactionType: 'Reserve',
      ReservationId: reservationId,
      GuestName: 'Ada',
      GuestEmail: 'ada@example.com',
      RoomType: 'STANDARD',
      CheckIn: new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10),
      CheckOut: new Date(Date.now() + 32 * 86400_000).toISOString().slice(0, 10),
    });
    expect(answer.status).toBe(200);
    const execution = await callCentreExecution(reservationId);
    const timestamp = Date.parse(answer.body.Timestamp);
    expect(timestamp).toBeGreaterThanOrEqual(execution.startDate * 1000);
    expect(timestamp).toBeLessThanOrEqual(execution.stopDate * 1000);
    expect(timestamp - Date.now()).toBeGreaterThan((WEEK_S - 60) * 1000);
  });

  test('the exam deadline is a week after the incident was created, the one the engine enforces, and its email says so', async () => {
    const { incident, stored } = await register();
    const [exam] = stored.Exams;
    const createdAt = Date.parse(registered.at(-1)!.CreatedAt);
    const deadline = Date.parse(exam.Deadline);
    expect(deadline - createdAt).toBeGreaterThanOrEqual(WEEK_S * 1000);
    expect(deadline - createdAt).toBeLessThan((WEEK_S + 60) * 1000);

    // What the engine enforces: SendExamNotification's TimeoutSeconds (a week) from the moment it was scheduled.
    const events = await historyOf(incident.executionArn);
    const scheduled = events.find(
      (event) =>
        event.type === 'TaskScheduled' &&
        events.find((entered) => entered.id === event.previousEventId)?.stateEnteredEventDetails?.name ===
          'SendExamNotification',
    );
    expect(scheduled).toBeDefined();
    const enforced = scheduled!.timestamp * 1000 + WEEK_S * 1000;
    expect(enforced - deadline).toBeGreaterThanOrEqual(0);
    expect(enforced - deadline).toBeLessThan(60_000);

    const { email } = await examEmail(cloud!.urls.ses, incident);
    const day = new Date(deadline).toLocaleDateString('en-GB', { dateStyle: 'full', timeZone: 'UTC' });
    expect(email.body.text).toContain(day);
  });
});

describe('after a restart of the local cloud on its state', () => {
  let before: number;
  beforeAll(async () => {
    before = await clockNow();
    await cloud!.stop();
    cloud = undefined;
    await start();
  }, 180_000);

  test('the clock is still a week ahead, and not behind where it was', async () => {
    const now = await clockNow();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now - Date.now()).toBeGreaterThan((WEEK_S - 60) * 1000);
  });

  test('an incident registered now is created after every earlier one, and GET /incidents stays newest first', async () => {
    await register();
    const created = registered.map((incident) => Date.parse(incident.CreatedAt));
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(new Set(created).size).toBe(created.length);

    const answer = await api.get<{ Items: Incident[] }>('/incidents');
    expect(answer.status).toBe(200);
    const ids = registered.map(({ incident }) => incident.IncidentId);
    const listed = answer.body.Items.map((item) => item.IncidentId).filter((id) => ids.includes(id));
    expect(listed).toEqual([...ids].reverse());
    // The first incident's exam was not sat in the week the clock moved: its deadline passed, as the engine says.
    await expect(getIncident(api, ids[0])).resolves.toMatchObject({ Status: 'ADMIN_ACTION_REQUIRED' });
  });
});
