/**
 * `npm run bench -- local`: the local cloud as a developer meets it.
 *  1. Start-up: from spawning `npm start` (local/start.ts under tsx, its own process group, free ports, a temporary
 *     LOCAL_STATE_DIR) to the first 200 from GET /_local/health. "fresh" starts on an empty state folder (tables
 *     created, rooms seeded); "warm" restarts on the state the previous start left (after a clean Ctrl-C).
 *     Medians of BENCH_LOCAL_RUNS (default 3) of each. Goal: healthy in under 10 s.
 *  2. The plagiarism pass path without the human: POST /incident until the exam email is in the SES capture
 *     (register, schedule, notify), plus POST /exam until GET /incidents/{id} answers RESOLVED (the callback,
 *     the choice and the resolve). One unmeasured run first warms the function processes; then medians of
 *     BENCH_LOCAL_PASSES (default 7). Goal: the sum under 1 s.
 * The pass path is compared with the published figure for Step Functions Local with DynamoDB Local: a median of
 * about 1.1 s for a multi-step segment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { median } from '../scripts/lib/measure-module-init';
// eventually() is plain TypeScript (no jest): the bench runs under tsx alone.
import { eventually, type EventuallyOptions } from '../tests/support/eventually';
import { correctAnswers } from '../tests/system/support/exam';
import { ApiClient } from '../tests/system/support/http';
import { getIncident, registerIncident, submission } from '../tests/system/support/incidents';
import { spawnNpmStart, type NpmStart } from '../tests/system/support/npm-start';
import { emailsTo, examLink, type ExamLink } from '../tests/system/support/outbox';
import { freeCloudPorts } from '../tests/system/support/ports';
import { positiveIntegerFromEnvironment } from './environment';
import { ratioOf, type Headline } from './headline';

const HEALTHY_GOAL_MS = 10_000;
const PASS_PATH_GOAL_MS = 1_000;
/** The published median for a multi-step segment on Step Functions Local with DynamoDB Local. */
const SFN_LOCAL_SEGMENT_MS = 1_100;
/** Back-to-back polling, with only a 5 ms pause between probes: the measurement's resolution is one probe. */
const POLLING: EventuallyOptions = { intervalMs: 5, timeoutMs: 30_000 };

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const milliseconds = (ms: number) => `${ms.toFixed(0)} ms`;
const verdict = (value: number, goal: number) => (value < goal ? 'meets the goal' : 'MISSES the goal');

/** Spawns npm start on `stateDir` and measures the time to healthy; leaves it running. */
async function timedStart(stateDir: string, started: NpmStart[]): Promise<{ run: NpmStart; ms: number }> {
  const ports = await freeCloudPorts();
  const begin = performance.now();
  const run = spawnNpmStart({ ports, stateDir });
  started.push(run);
  await run.waitUntilHealthy();
  return { run, ms: performance.now() - begin };
}

interface PassTimes {
  notifiedMs: number;
  resolvedMs: number;
}

/** One student, start to end: register, wait for the email, submit the right answers, wait for RESOLVED. */
async function passPath(api: ApiClient, sesUrl: string): Promise<PassTimes> {
  const registerAt = performance.now();
  const registered = await registerIncident(api);
  const link: ExamLink = await eventually(
    'the exam email',
    async () => {
      const [email] = await emailsTo(sesUrl, registered.student.StudentEmail);
      return email ? examLink(email) : undefined;
    },
    POLLING,
  );
  const notifiedMs = performance.now() - registerAt;

  const submitAt = performance.now();
  const answer = await api.post('/exam', submission(link, correctAnswers()), { as: null });
  if (answer.status !== 200 || answer.body.Passed !== true)
    throw new Error(`POST /exam answered ${answer.status}: ${answer.text}`);
  await eventually(
    'the incident to be RESOLVED',
    async () => ((await getIncident(api, registered.IncidentId)).Status === 'RESOLVED' ? true : undefined),
    POLLING,
  );
  return { notifiedMs, resolvedMs: performance.now() - submitAt };
}

export default async function run(): Promise<Headline[]> {
  const startRuns = positiveIntegerFromEnvironment('BENCH_LOCAL_RUNS', 3);
  const passRuns = positiveIntegerFromEnvironment('BENCH_LOCAL_PASSES', 7);
  const folders: string[] = [];
  const started: NpmStart[] = [];
  try {
    const fresh: number[] = [];
    const warm: number[] = [];
    let running: NpmStart | undefined;
    for (let i = 0; i < startRuns; i += 1) {
      const stateDir = await mkdtemp(path.join(tmpdir(), 'bench-local-'));
      folders.push(stateDir);
      const first = await timedStart(stateDir, started);
      fresh.push(first.ms);
      await first.run.stop();
      const again = await timedStart(stateDir, started);
      warm.push(again.ms);
      console.log(`start ${i + 1}/${startRuns}: fresh ${seconds(first.ms)}, warm ${seconds(again.ms)}`);
      if (i < startRuns - 1) await again.run.stop();
      else running = again.run;
    }

    const api = new ApiClient(running!.apiUrl);
    const sesUrl = running!.sesUrl;
    await passPath(api, sesUrl); // warms every function process on the path
    const passes: PassTimes[] = [];
    for (let i = 0; i < passRuns; i += 1) passes.push(await passPath(api, sesUrl));

    const freshMs = median(fresh);
    const warmMs = median(warm);
    const notifiedMs = median(passes.map((pass) => pass.notifiedMs));
    const resolvedMs = median(passes.map((pass) => pass.resolvedMs));
    const totalMs = median(passes.map((pass) => pass.notifiedMs + pass.resolvedMs));
    console.log('');
    // Every figure here is wall-clock time on this machine: its load says how far it is from a quiet one.
    console.log(
      `machine: ${availableParallelism()} cores, load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')} (1, 5, 15 min)`,
    );
    console.log(
      `npm start to healthy, fresh state (median of ${startRuns}): ${seconds(freshMs)} (goal < ${seconds(HEALTHY_GOAL_MS)}: ${verdict(freshMs, HEALTHY_GOAL_MS)})`,
    );
    console.log(
      `npm start to healthy, warm state  (median of ${startRuns}): ${seconds(warmMs)} (goal < ${seconds(HEALTHY_GOAL_MS)}: ${verdict(warmMs, HEALTHY_GOAL_MS)})`,
    );
    console.log(`pass path (median of ${passRuns}, warm functions):`);
    console.log(`  POST /incident -> exam email captured: ${milliseconds(notifiedMs)}`);
    console.log(`  POST /exam -> incident RESOLVED:       ${milliseconds(resolvedMs)}`);
    console.log(
      `  sum:                                   ${milliseconds(totalMs)} (goal < ${milliseconds(PASS_PATH_GOAL_MS)}: ${verdict(totalMs, PASS_PATH_GOAL_MS)})`,
    );
    console.log(
      `${(totalMs / SFN_LOCAL_SEGMENT_MS).toFixed(2)}x the time of Step Functions Local with DynamoDB Local ` +
        `(published median about ${milliseconds(SFN_LOCAL_SEGMENT_MS)} for a multi-step segment): ` +
        `${(SFN_LOCAL_SEGMENT_MS / totalMs).toFixed(1)}x faster`,
    );
    const startHeadline = (state: string, ms: number): Headline => ({
      benchmark: 'local',
      measure: `npm start to healthy, ${state} state`,
      ours: `${seconds(ms)} (median of ${startRuns})`,
      peer: `goal: ${seconds(HEALTHY_GOAL_MS)}`,
      ratio: ratioOf(ms, HEALTHY_GOAL_MS, 'lower'),
    });
    return [
      startHeadline('fresh', freshMs),
      startHeadline('warm', warmMs),
      {
        benchmark: 'local',
        measure: 'plagiarism pass path, end to end',
        ours: `${milliseconds(totalMs)} (median of ${passRuns})`,
        peer: `Step Functions Local + DynamoDB Local: ${milliseconds(SFN_LOCAL_SEGMENT_MS)} (published)`,
        ratio: ratioOf(totalMs, SFN_LOCAL_SEGMENT_MS, 'lower'),
      },
    ];
  } finally {
    await Promise.all(started.map((run) => run.stop(5000)));
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  }
}
