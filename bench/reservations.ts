/**
 * `npm run bench -- reservations`: throughput and latency of `POST /reservations` under BENCH_LOAD_CLIENTS (default
 * 50) concurrent clients, on a local cloud started the way a developer starts it (`npm start` in its own process
 * group, free ports, a temporary LOCAL_STATE_DIR), side by side with two peers measured in the same run:
 *  - the ceiling: GET /config.js (answered from memory) on the same server under the same clients: what the
 *    emulator's HTTP stack alone can carry;
 *  - the floor: the same Reserve requests handed straight to ReserveRoomFunction through a Lambda runner (the
 *    local runtime's own, with the same bundles, the same DynamoDB Local and SES capture, the same per-function
 *    concurrency), without the API Gateway emulator and Step Functions: the ratio is what the emulated path costs.
 * The HTTP phases run on autocannon; the floor on as many concurrent invocation loops. Every phase lasts
 * BENCH_LOAD_SECONDS (default 10; the ceiling half that) after a 2-second warm-up of its own. The requests are valid,
 * seeded (bench/reservation-requests.ts) and each phase books its own calendar; 409 RoomUnavailable is a valid
 * answer and counted apart. Anything else (a 5xx, another status, a timeout, a double booking) is printed as a
 * FINDING.
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
import { spawnNpmStart, type NpmStart } from '../tests/system/support/npm-start';
import { freeCloudPorts } from '../tests/system/support/ports';
import type { ReserveBody } from '../tests/system/support/reservations';
import { positiveIntegerFromEnvironment } from './environment';
import { ratioOf, type Headline } from './headline';
import { describeLoad, describeMix, OutcomeTally, percentile, type LoadResult, type Outcome } from './load-result';
import { calendarSpan, reservationRequests } from './reservation-requests';
import { RoomNightLedger } from './room-night-ledger';

const API_KEY = 'bench-reservations-key';
const FUNCTION = 'ReserveRoomFunction';
const WARM_UP_SECONDS = 2;
/** Nights each phase's requests are spread over: enough that nearly every stay finds a room at hundreds of req/s. */
const CALENDAR_NIGHTS = 2000;
/** A request still unanswered after this long counts as an error (a timeout), not as a slow answer. */
const REQUEST_TIMEOUT_S = 30;
const RESERVE_LABELS = { success: '200 CONFIRMED', unavailable: '409 RoomUnavailable' };
const DIRECT_LABELS = { success: 'CONFIRMED', unavailable: 'RoomUnavailable' };

type Classified = [Outcome, string?];

/** One seeded request sequence per phase, each on a calendar of its own, so no phase finds another's bookings. */
function phaseRequests(phase: number, label: string) {
  return reservationRequests({ label, seed: 7 + phase, firstNight: phase * calendarSpan(CALENDAR_NIGHTS), calendarNights: CALENDAR_NIGHTS });
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
function reserveOutcome(ledger: RoomNightLedger, confirmation: Record<string, unknown> | undefined, describe: () => string): Classified {
  const { ReservationId, RoomNumber, CheckIn, CheckOut, Status } = confirmation ?? {};
  if (Status !== 'CONFIRMED' || typeof RoomNumber !== 'string' || typeof CheckIn !== 'string' || typeof CheckOut !== 'string') {
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
  const payload = typeof result.payload === 'object' && result.payload !== null ? (result.payload as Record<string, unknown>) : undefined;
  const describe = () => `${result.functionError ?? 'ok'} ${JSON.stringify(result.payload)}`;
  if (!result.functionError) return reserveOutcome(ledger, payload, describe);
  if (payload?.errorType === 'RoomUnavailable') return ['unavailable'];
  return ['other', describe()];
}

interface HttpLoad {
  url: string;
  clients: number;
  seconds: number;
  method: 'GET' | 'POST';
  path: string;
  /** The next request body; none for a GET. */
  nextBody?: () => string;
  classify(status: number, body: string): Classified;
}

/** `clients` autocannon connections for `seconds`, each answer classified as it arrives. */
async function driveHttp(load: HttpLoad): Promise<LoadResult> {
  const tally = new OutcomeTally();
  const request: autocannon.Request = {
    method: load.method,
    path: load.path,
    onResponse: (status, body) => tally.add(...load.classify(status, body)),
  };
  if (load.nextBody) {
    const nextBody = load.nextBody;
    request.setupRequest = (current) => ({ ...current, body: nextBody() });
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: load.url,
        connections: load.clients,
        duration: load.seconds,
        timeout: REQUEST_TIMEOUT_S,
        headers: { 'x-api-key': API_KEY, ...(load.nextBody ? { 'content-type': 'application/json' } : {}) },
        requests: [request],
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    instance.on('reqError', (error: unknown) => tally.add('error', `request failed: ${(error as Error)?.message ?? String(error)}`));
  });
  return {
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    counts: tally.counts,
    unexpected: tally.unexpected,
    durationS: result.duration,
  };
}

/** `clients` loops invoking ReserveRoomFunction back to back through the runner until `seconds` have passed. */
async function driveRunner(runner: LambdaRunner, clients: number, seconds: number, next: () => ReserveBody): Promise<LoadResult> {
  const tally = new OutcomeTally();
  const ledger = new RoomNightLedger();
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        const result = await runner.invoke(FUNCTION, next());
        tally.add(...classifyDirectReserve(ledger, result));
      } catch (error) {
        tally.add('error', `invoke failed: ${(error as Error).message}`);
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const durationS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / durationS, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), counts: tally.counts, unexpected: tally.unexpected, durationS };
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
    endpoints: { dynamodb: `http://127.0.0.1:${ports.dynamodb}`, ses: `http://127.0.0.1:${ports.ses}`, sfn: cloud.sfnUrl },
    xray,
  });
  return {
    runner,
    async close() {
      const pids = runner.pids;
      runner.close();
      await xray.close();
      await eventually('the direct runner\'s function processes to end', async () => (pids.some(isAlive) ? undefined : true), { timeoutMs: 10_000, intervalMs: 50 });
    },
  };
}

export default async function run(): Promise<Headline[]> {
  const clients = positiveIntegerFromEnvironment('BENCH_LOAD_CLIENTS', 50);
  const seconds = positiveIntegerFromEnvironment('BENCH_LOAD_SECONDS', 10);
  const ceilingSeconds = Math.max(1, Math.round(seconds / 2));
  const stateDir = await mkdtemp(path.join(tmpdir(), 'bench-reservations-'));
  const ports = await freeCloudPorts();
  const cloud = spawnNpmStart({ ports, stateDir, apiKey: API_KEY });
  let direct: Awaited<ReturnType<typeof directRunner>> | undefined;
  try {
    await cloud.waitUntilHealthy();
    direct = await directRunner(cloud, ports);
    // The server listens on 127.0.0.1: naming it avoids a first try at ::1 for "localhost".
    const url = `http://127.0.0.1:${ports.api}`;
    console.log(
      `reservations: ${clients} concurrent clients, ${seconds} s per phase (the ceiling ${ceilingSeconds} s), each after a ` +
        `${WARM_UP_SECONDS} s warm-up; seeded Reserve requests, each phase on a calendar of its own`,
    );

    const ceilingLoad = (duration: number): HttpLoad => ({
      url,
      clients,
      seconds: duration,
      method: 'GET',
      path: '/config.js',
      classify: (status, body) => (status === 200 ? ['success'] : ['other', `${status} ${body}`]),
    });
    await driveHttp(ceilingLoad(WARM_UP_SECONDS));
    const ceiling = await driveHttp(ceilingLoad(ceilingSeconds));
    console.log(`  GET /config.js, same server (ceiling):          ${describeLoad(ceiling)}`);
    console.log(`    ${describeMix(ceiling, { success: '200' })}`);

    const warmDirect = phaseRequests(0, 'direct-warm');
    await driveRunner(direct.runner, clients, WARM_UP_SECONDS, () => warmDirect.next());
    const directRequests = phaseRequests(1, 'direct');
    const floor = await driveRunner(direct.runner, clients, seconds, () => directRequests.next());
    console.log(`  ${FUNCTION} via the Lambda runner (floor):  ${describeLoad(floor)}`);
    console.log(`    ${describeMix(floor, DIRECT_LABELS)}`);

    const reserveLoad = (phase: number, label: string, duration: number): HttpLoad => {
      const requests = phaseRequests(phase, label);
      const ledger = new RoomNightLedger();
      return {
        url,
        clients,
        seconds: duration,
        method: 'POST',
        path: '/reservations',
        nextBody: () => JSON.stringify(requests.next()),
        classify: (status, body) => classifyHttpReserve(ledger, status, body),
      };
    };
    await driveHttp(reserveLoad(2, 'http-warm', WARM_UP_SECONDS));
    const reserve = await driveHttp(reserveLoad(3, 'http', seconds));
    console.log(`  POST /reservations (API Gateway emulator, Step Functions, ${FUNCTION}): ${describeLoad(reserve)}`);
    console.log(`    ${describeMix(reserve, RESERVE_LABELS)}`);

    const findings = [ceiling, floor, reserve].reduce((sum, result) => sum + result.counts.other + result.counts.error, 0);
    console.log(
      `POST /reservations: ${(reserve.rps / floor.rps).toFixed(2)}x the throughput of ${FUNCTION} invoked directly, ` +
        `${(reserve.rps / ceiling.rps).toFixed(3)}x the server's ceiling; ${findings === 0 ? 'no 5xx, no errors, no double booking' : `${findings} FINDINGS above`}`,
    );
    const load = (result: LoadResult) => `${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms`;
    const mix = (result: LoadResult) => `${result.counts.success} ok, ${result.counts.unavailable} x 409, ${result.counts.other} other, ${result.counts.error} errors`;
    const name = 'reservations';
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
        ratio: 'n/a',
      },
    ];
  } finally {
    await direct?.close();
    await cloud.stop(10_000);
    await rm(stateDir, { recursive: true, force: true });
  }
}

