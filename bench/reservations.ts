/**
 * `npm run bench -- reservations`: throughput and latency of `POST /reservations` under BENCH_LOAD_CLIENTS (default
 * 50) concurrent clients, on a local cloud started the way a developer starts it (`npm start` in its own process
 * group, free ports, a temporary LOCAL_STATE_DIR), side by side with two peers measured in the same run:
 *  - the ceiling: GET /config.js (answered from memory) on the same server under the same clients: what the
 *    emulator's HTTP stack alone can carry;
 *  - the floor: the same kind of Reserve requests handed straight to ReserveRoomFunction through a Lambda runner
 *    (the local runtime's own class, the same bundles, the same DynamoDB Local and SES capture, the same
 *    per-function concurrency), without the API Gateway emulator and Step Functions: the ratio is what the
 *    emulated path costs.
 * The HTTP paths run on autocannon; the floor on as many concurrent invocation loops. After a warm-up of each path
 * (the function processes and DynamoDB Local's JIT start cold), POST and direct are measured in alternated rounds of
 * BENCH_LOAD_SECONDS (default 5) each, so a machine whose load drifts (others share it) weighs on both alike; where
 * /proc tells, the CPU each process spent per request is printed too, which a loaded machine distorts far less
 * than wall-clock figures. The requests are valid and seeded (bench/reservation-requests.ts), each path books a
 * calendar of its own; 409 RoomUnavailable is a valid answer, counted apart. Anything else (a 5xx, another status,
 * a timeout, a double booking) is printed as a FINDING. About 50 s in all; every process it starts is stopped.
 */
import autocannon from 'autocannon';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_REGION } from '../local/cli-config';
import { LambdaRunner, type LambdaInvokeResult } from '../local/lambda-runner';
import { isAlive } from '../local/pids';
import { loadTemplate } from '../local/template/load';
import { XRayCollector } from '../local/xray/collector';
import { eventually } from '../tests/support/eventually';
import { staffHeaders } from '../tests/support/staff-auth';
import { spawnNpmStart, type NpmStart } from '../tests/system/support/npm-start';
import { freeCloudPorts } from '../tests/system/support/ports';
import type { ReserveBody } from '../tests/system/support/reservations';
import { positiveIntegerFromEnvironment } from './environment';
import { ratioOf, type Headline } from './headline';
import { describeLoad, describeMix, LoadRecorder, type LoadResult, type Outcome } from './load-result';
import { cpuAvailable, cpuByRole, cpuSpent, totalOf } from './process-cpu';
import { calendarSpan, reservationRequests } from './reservation-requests';
import { RoomNightLedger } from './room-night-ledger';

const FUNCTION = 'ReserveRoomFunction';
const WARM_UP_SECONDS = 4;
/** Measured rounds per path, alternated POST, direct, direct, POST, ... so a drifting machine load hits both alike. */
const ROUNDS = 2;
/** Nights each phase's requests are spread over: enough that nearly every stay finds a room at hundreds of req/s. */
const CALENDAR_NIGHTS = 2000;
/** A request still unanswered after this long counts as an error (a timeout), not as a slow answer. */
const REQUEST_TIMEOUT_S = 30;
const RESERVE_LABELS = { success: '200 CONFIRMED', unavailable: '409 RoomUnavailable' };
const DIRECT_LABELS = { success: 'CONFIRMED', unavailable: 'RoomUnavailable' };

/** The bench process's part in each kind of phase: only the client in the HTTP phases, the runner in the direct one. */
const LOAD_GENERATOR = 'load generator (autocannon; the bench process)';
const DIRECT_HOST = 'Lambda runner + invocation loops (the bench process)';

type Classified = [Outcome, string?];

/** One seeded request sequence per phase, each on a calendar of its own, so no phase finds another's bookings. */
function phaseRequests(phase: number, label: string) {
  return reservationRequests({
    label,
    seed: 7 + phase,
    firstNight: phase * calendarSpan(CALENDAR_NIGHTS),
    calendarNights: CALENDAR_NIGHTS,
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A Reserve answer (HTTP or direct) as an outcome; a confirmation is also checked against the phase's ledger. */
function reserveOutcome(
  ledger: RoomNightLedger,
  confirmation: Record<string, unknown> | undefined,
  describe: () => string,
): Classified {
  const { ReservationId, RoomNumber, CheckIn, CheckOut, Status } = confirmation ?? {};
  if (
    Status !== 'CONFIRMED' ||
    typeof RoomNumber !== 'string' ||
    typeof CheckIn !== 'string' ||
    typeof CheckOut !== 'string'
  ) {
    return ['other', `a confirmation without its fields: ${describe()}`];
  }
  const conflict = ledger.hold(String(ReservationId), RoomNumber, CheckIn, CheckOut);
  return conflict ? ['other', conflict] : ['success'];
}

function classifyHttpReserve(ledger: RoomNightLedger, status: number, text: string): Classified {
  const body = parseJson(text);
  const describe = () => `${status} ${text}`;
  if (status === 200) return reserveOutcome(ledger, body, describe);
  if (status === 409 && body?.error === 'RoomUnavailable') return ['unavailable'];
  return ['other', describe()];
}

function classifyDirectReserve(ledger: RoomNightLedger, result: LambdaInvokeResult): Classified {
  const payload =
    typeof result.payload === 'object' && result.payload !== null
      ? (result.payload as Record<string, unknown>)
      : undefined;
  const describe = () => `${result.functionError ?? 'ok'} ${JSON.stringify(result.payload)}`;
  if (!result.functionError) return reserveOutcome(ledger, payload, describe);
  if (payload?.errorType === 'RoomUnavailable') return ['unavailable'];
  return ['other', describe()];
}

/**
 * How much load to send: for a time (a warm-up, whose rate is not known yet: autocannon abandons what is still
 * unanswered at the end), or a number of requests (a measured round: every one of them answered, on every path alike).
 */
type Budget = { seconds: number } | { requests: number };

/** One way of sending the load, `clients` requests at a time; drive() answers how long it took, in seconds. */
interface LoadPath {
  /** What the bench process itself does on this path (a role in the CPU table). */
  benchRole: string;
  drive(budget: Budget, recorder: LoadRecorder): Promise<number>;
}

interface HttpLoad {
  url: string;
  /** Request headers besides the body's content type (the agent's credentials for POST /reservations). */
  headers?: Record<string, string>;
  clients: number;
  method: 'GET' | 'POST';
  path: string;
  /** The next request body; none for a GET. */
  nextBody?: () => string;
  classify(status: number, body: string): Classified;
}

/** `clients` autocannon connections, each answer classified and timed as it arrives. */
function httpPath(load: HttpLoad): LoadPath {
  const request: autocannon.Request = { method: load.method, path: load.path };
  if (load.nextBody) {
    const nextBody = load.nextBody;
    request.setupRequest = (current) => ({ ...current, body: nextBody() });
  }
  return {
    benchRole: LOAD_GENERATOR,
    async drive(budget, recorder) {
      request.onResponse = (status, body) => recorder.outcome(...load.classify(status, body));
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: load.url,
            connections: load.clients,
            ...('seconds' in budget ? { duration: budget.seconds } : { amount: budget.requests }),
            timeout: REQUEST_TIMEOUT_S,
            headers: { ...load.headers, ...(load.nextBody ? { 'content-type': 'application/json' } : {}) },
            requests: [request],
          },
          (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
        );
        instance.on('response', (_client, _status, _bytes, responseTimeMs) => recorder.latency(responseTimeMs));
        instance.on('reqError', (error: unknown) =>
          recorder.outcome('error', `request failed: ${(error as Error)?.message ?? String(error)}`),
        );
      });
      return result.duration;
    },
  };
}

/** `clients` loops invoking ReserveRoomFunction back to back through the runner, each answer classified and timed. */
function directPath(runner: LambdaRunner, clients: number, requests: { next(): ReserveBody }): LoadPath {
  const ledger = new RoomNightLedger();
  return {
    benchRole: DIRECT_HOST,
    async drive(budget, recorder) {
      const start = performance.now();
      const deadline = 'seconds' in budget ? start + budget.seconds * 1000 : Number.POSITIVE_INFINITY;
      const amount = 'requests' in budget ? budget.requests : Number.POSITIVE_INFINITY;
      let sent = 0;
      const client = async () => {
        while (performance.now() < deadline && sent < amount) {
          sent += 1;
          const sentAt = performance.now();
          try {
            const result = await runner.invoke(FUNCTION, requests.next());
            recorder.latency(performance.now() - sentAt);
            recorder.outcome(...classifyDirectReserve(ledger, result));
          } catch (error) {
            recorder.outcome('error', `invoke failed: ${(error as Error).message}`);
          }
        }
      };
      await Promise.all(Array.from({ length: clients }, client));
      return (performance.now() - start) / 1000;
    },
  };
}

/** One measured round of `path`, with the CPU each part of the system spent on it (the bench process is the root of all). */
async function measuredRound(path: LoadPath, requests: number, recorder: LoadRecorder): Promise<void> {
  const roles = new Map([[process.pid, path.benchRole]]);
  const before = cpuAvailable ? cpuByRole([process.pid], roles) : undefined;
  const durationS = await path.drive({ requests }, recorder);
  recorder.round(durationS, before && cpuSpent(before, cpuByRole([process.pid], roles)));
}

/** CPU ms per request of the system under test: every part but the load generator. */
function systemCpuMs(result: LoadResult): number | undefined {
  if (!result.cpuMsPerRequest) return undefined;
  return totalOf(result.cpuMsPerRequest) - (result.cpuMsPerRequest.get(LOAD_GENERATOR) ?? 0);
}

function printCpuTable(phases: Array<[string, LoadResult]>): void {
  if (!phases.every(([, result]) => result.cpuMsPerRequest)) {
    console.log('  (CPU per request: only where /proc tells, on Linux)');
    return;
  }
  const roles = [...new Set(phases.flatMap(([, result]) => [...result.cpuMsPerRequest!.keys()]))].sort();
  const width = Math.max(...roles.map((role) => role.length), 40);
  const row = (label: string, values: Array<number | undefined>) =>
    `    ${label.padEnd(width)}${values.map((value) => (value === undefined ? '-' : value.toFixed(2)).padStart(10)).join('')}`;
  console.log(`  CPU ms per request (user + system, from /proc):`);
  console.log(`    ${''.padEnd(width)}${phases.map(([name]) => name.padStart(10)).join('')}`);
  for (const role of roles)
    console.log(
      row(
        role,
        phases.map(([, result]) => result.cpuMsPerRequest!.get(role)),
      ),
    );
  console.log(
    row(
      'all but the load generator',
      phases.map(([, result]) => systemCpuMs(result)),
    ),
  );
}

/**
 * A Lambda runner like the local cloud's own (its class, its default per-function concurrency, tracing to a
 * collector of its own as the cloud's functions trace to its collector), pointed at the running cloud's DynamoDB
 * Local and SES capture, running the bundles `npm start` built (dist/functions).
 */
async function directRunner(cloud: NpmStart, ports: Awaited<ReturnType<typeof freeCloudPorts>>) {
  const xray = await XRayCollector.start();
  const runner = new LambdaRunner({
    template: loadTemplate(),
    region: LOCAL_REGION,
    endpoints: {
      dynamodb: `http://127.0.0.1:${ports.dynamodb}`,
      ses: `http://127.0.0.1:${ports.ses}`,
      sfn: cloud.sfnUrl,
    },
    xray,
  });
  return {
    runner,
    async close() {
      const pids = runner.pids;
      runner.close();
      await xray.close();
      await eventually(
        "the direct runner's function processes to end",
        async () => (pids.some(isAlive) ? undefined : true),
        { timeoutMs: 10_000, intervalMs: 50 },
      );
    },
  };
}

export default async function run(): Promise<Headline[]> {
  const clients = positiveIntegerFromEnvironment('BENCH_LOAD_CLIENTS', 50);
  const seconds = positiveIntegerFromEnvironment('BENCH_LOAD_SECONDS', 5);
  const stateDir = await mkdtemp(path.join(tmpdir(), 'bench-reservations-'));
  const ports = await freeCloudPorts();
  const cloud = spawnNpmStart({ ports, stateDir });
  let direct: Awaited<ReturnType<typeof directRunner>> | undefined;
  try {
    await cloud.waitUntilHealthy();
    direct = await directRunner(cloud, ports);
    // The server listens on 127.0.0.1: naming it avoids a first try at ::1 for "localhost".
    const url = `http://127.0.0.1:${ports.api}`;
    // The local agent's ID token (an hour's validity: longer than the benchmark), sent by every reserve.
    const agent = await staffHeaders({ apiUrl: url }, 'agent');

    const ceilingPath = httpPath({
      url,
      clients,
      method: 'GET',
      path: '/config.js',
      classify: (status, body) => (status === 200 ? ['success'] : ['other', `${status} ${body}`]),
    });
    const reservePath = (phase: number, label: string) => {
      const requests = phaseRequests(phase, label);
      const ledger = new RoomNightLedger();
      return httpPath({
        url,
        clients,
        method: 'POST',
        path: '/reservations',
        headers: agent,
        nextBody: () => JSON.stringify(requests.next()),
        classify: (status, body) => classifyHttpReserve(ledger, status, body),
      });
    };
    const runner = direct.runner;
    const directPathOn = (phase: number, label: string) => directPath(runner, clients, phaseRequests(phase, label));

    // Warm-ups, for a time: the function processes, DynamoDB Local's JIT and npm start's own code reach their steady
    // state, and their rates size the measured rounds. Their answers are no figures, but anything unexpected in
    // them is still a finding.
    const warmUp = async (loadPath: LoadPath, duration: number) => {
      const recorder = new LoadRecorder();
      recorder.round(await loadPath.drive({ seconds: duration }, recorder), undefined);
      return recorder;
    };
    const warmUps = [
      await warmUp(ceilingPath, 1),
      await warmUp(reservePath(0, 'http-warm'), WARM_UP_SECONDS),
      await warmUp(directPathOn(1, 'direct-warm'), WARM_UP_SECONDS),
    ];
    const [ceilingWarm, reserveWarm, directWarm] = warmUps.map((recorder) => recorder.result().rps);
    // A round of about `seconds` at the warm-up's pace, and never fewer than two requests per client.
    const roundOf = (rate: number) => Math.max(2 * clients, Math.round(rate * seconds));
    const reserveRound = roundOf(Math.max(reserveWarm, directWarm));
    console.log(
      `reservations: ${clients} concurrent clients; POST /reservations and ${FUNCTION} direct each warmed up for ` +
        `${WARM_UP_SECONDS} s, then measured in ${ROUNDS} alternated rounds of ${reserveRound} requests (about ${seconds} s ` +
        `at the warm-up's pace); seeded Reserve requests, each path on a calendar of its own`,
    );
    const ceilingRecorder = new LoadRecorder();
    await measuredRound(ceilingPath, roundOf(ceilingWarm), ceilingRecorder);
    const reserveRecorder = new LoadRecorder();
    const directRecorder = new LoadRecorder();
    const measuredReserve = reservePath(2, 'http');
    const measuredDirect = directPathOn(3, 'direct');
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<[LoadPath, LoadRecorder]> = [
        [measuredReserve, reserveRecorder],
        [measuredDirect, directRecorder],
      ];
      for (const [loadPath, recorder] of round % 2 === 0 ? order : order.reverse())
        await measuredRound(loadPath, reserveRound, recorder);
    }
    const ceiling = ceilingRecorder.result();
    const floor = directRecorder.result();
    const reserve = reserveRecorder.result();

    console.log(`  GET /config.js, same server (ceiling):               ${describeLoad(ceiling)}`);
    console.log(`    ${describeMix(ceiling, { success: '200' })}`);
    console.log(`  ${FUNCTION} via the Lambda runner (floor):     ${describeLoad(floor)}`);
    console.log(`    ${describeMix(floor, DIRECT_LABELS)}`);
    console.log(`  POST /reservations (API Gateway emulator, Step Functions, ${FUNCTION}): ${describeLoad(reserve)}`);
    console.log(`    ${describeMix(reserve, RESERVE_LABELS)}`);
    for (const line of warmUps.flatMap((recorder) => recorder.describeFindings('  warm-up '))) console.log(line);
    printCpuTable([
      ['ceiling', ceiling],
      ['direct', floor],
      ['POST', reserve],
    ]);

    const findings = [ceilingRecorder, directRecorder, reserveRecorder, ...warmUps].reduce(
      (sum, recorder) => sum + recorder.findings,
      0,
    );
    console.log(
      `POST /reservations: ${(reserve.rps / floor.rps).toFixed(2)}x the throughput of ${FUNCTION} invoked directly, ` +
        `${(reserve.rps / ceiling.rps).toFixed(4)}x the server's ceiling; ` +
        `${findings === 0 ? 'no 5xx, no other status, no errors, no double booking' : `${findings} FINDINGS above`}`,
    );
    const load = (result: LoadResult) =>
      `${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms`;
    const mix = (result: LoadResult) =>
      `${result.counts.success} ok, ${result.counts.unavailable} x 409, ${result.counts.other} other, ${result.counts.error} errors`;
    const name = 'reservations';
    const reserveCpu = systemCpuMs(reserve);
    const floorCpu = systemCpuMs(floor);
    const cpuHeadlines: Headline[] =
      reserveCpu === undefined || floorCpu === undefined
        ? []
        : [
            {
              benchmark: name,
              measure: 'CPU per reservation, all processes',
              ours: `${reserveCpu.toFixed(1)} ms (POST /reservations)`,
              peer: `${FUNCTION} direct: ${floorCpu.toFixed(1)} ms`,
              ratio: ratioOf(reserveCpu, floorCpu, 'lower'),
            },
          ];
    return [
      {
        benchmark: name,
        measure: `POST /reservations, ${clients} clients`,
        ours: load(reserve),
        peer: `${FUNCTION} direct (Lambda runner): ${load(floor)}`,
        ratio: ratioOf(reserve.rps, floor.rps, 'higher'),
      },
      {
        benchmark: name,
        measure: `POST /reservations vs HTTP ceiling`,
        ours: `${reserve.rps.toFixed(0)} req/s`,
        peer: `GET /config.js, same server: ${load(ceiling)}`,
        ratio: ratioOf(reserve.rps, ceiling.rps, 'higher'),
      },
      {
        benchmark: name,
        measure: 'POST /reservations answers',
        ours: mix(reserve),
        peer: `direct: ${mix(floor)}`,
        ratio: findings === 0 ? 'no findings' : `${findings} FINDINGS`,
      },
      ...cpuHeadlines,
    ];
  } finally {
    await direct?.close();
    await cloud.stop(10_000);
    await rm(stateDir, { recursive: true, force: true });
  }
}
