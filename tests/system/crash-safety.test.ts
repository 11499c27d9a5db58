/**
 * Crash safety (docs/contract.md "The local cloud"): an execution waiting for a task token when `npm start` is
 * killed with `kill -9` still accepts that token after `npm start` comes back on the same state and runs to its
 * end, and a deadline another one was waiting for still fires; every earlier incident and reservation is still
 * there. The real `npm start`, in a process group of its own, on free ports and a temporary LOCAL_STATE_DIR.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { correctAnswers } from './support/exam';
import { ApiClient } from './support/http';
import { examEmail, getIncident, incidentReaching, registerIncident, submission, type Incident } from './support/incidents';
import { spawnNpmStart, type NpmStart } from './support/npm-start';
import { capturedEmails } from './support/outbox';
import { freeCloudPorts } from './support/ports';
import { reserveBody } from './support/reservations';

const API_KEY = 'crash-test-key';
/** Two starts of the whole system (build, DynamoDB Local's JVM) on a shared 2-core machine. */
const TEST_TIMEOUT_MS = 300_000;

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
      const run = spawnNpmStart({ ports, stateDir, apiKey: API_KEY });
      runs.push(run);
      return run;
    };
    const first = start();
    const api = new ApiClient(first.apiUrl, API_KEY);
    const sesUrl = first.sesUrl;

    await first.waitUntilHealthy();

    const reservation = await api.post('/reservations', reserveBody('STANDARD', 5));
    expect(reservation.status).toBe(200);
    const finished = await registerIncident(api);
    const { link: finishedLink } = await examEmail(sesUrl, finished);
    expect((await api.post('/exam', submission(finishedLink, correctAnswers()), { apiKey: null })).status).toBe(200);
    await incidentReaching(api, finished.IncidentId, 'RESOLVED');
    const waiting = await registerIncident(api);
    const { link } = await examEmail(sesUrl, waiting);
    const neverSat = await registerIncident(api);
    const { link: neverSatLink } = await examEmail(sesUrl, neverSat);
    const before = (await api.get<{ Items: Incident[] }>('/incidents')).body.Items;
    const emailsBefore = await capturedEmails(sesUrl);

    await first.kill9();
    await expect(fetch(`${first.apiUrl}/_local/health`)).rejects.toThrow();

    const second = start();
    await second.waitUntilHealthy();

    // Everything from before the crash is still there: incidents, the reservation, the outbox.
    const after = (await api.get<{ Items: Incident[] }>('/incidents')).body.Items;
    expect(after).toEqual(before);
    const stored = await api.get(`/reservations/${reservation.body.ReservationId as string}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ ReservationId: reservation.body.ReservationId, Status: 'CONFIRMED' });
    expect((await capturedEmails(sesUrl)).map((email) => email.messageId)).toEqual(emailsBefore.map((email) => email.messageId));

    // The execution that waited across the crash takes its token and runs to its end.
    const answer = await api.post('/exam', submission(link, correctAnswers()), { apiKey: null });
    if (answer.status !== 200) throw new Error(`POST /exam after the restart answered ${answer.status}: ${answer.text}\n${second.output()}`);
    expect(answer.body).toMatchObject({ IncidentId: waiting.IncidentId, ExamId: link.ExamId, Passed: true });
    const resolved = await incidentReaching(api, waiting.IncidentId, 'RESOLVED');
    expect(resolved.Exams[0]).toMatchObject({ ExamId: link.ExamId, Result: 'PASSED' });
    expect((await getIncident(api, finished.IncidentId)).Status).toBe('RESOLVED');

    // The other exam's one-week deadline was re-armed by the restart: it still expires.
    const clock = await fetch(`${second.sfnUrl}/_local/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 604_800 + 60 }) });
    expect(clock.status).toBe(200);
    const expired = await incidentReaching(api, neverSat.IncidentId, 'ADMIN_ACTION_REQUIRED');
    expect(expired.Exams[0]).toMatchObject({ ExamId: neverSatLink.ExamId, Result: 'NOT_SAT' });

    // Ctrl-C stops every child process.
    expect(await second.stop()).toBe('stopped');
  },
  TEST_TIMEOUT_MS,
);
