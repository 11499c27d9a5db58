/**
 * `npm run bench -- scale`: GET /incidents' first page with 100 and with 100,000 incidents in the table, side by side
 * in one run (issue 18: the ratio should be close to 1, the first page answering at most `limit` incidents and a
 * NextToken). Two local clouds started the way the tests start them (startLocalCloud: DynamoDB Local, the Lambda
 * runner with the built ListIncidentsFunction, the API Gateway emulator), one with 100 incidents and one with
 * 100,000 written straight into DynamoDB Local as the workflow leaves them (~620 bytes each, with their index keys),
 * loaded with BatchWriteItem, BENCH_SCALE_WRITERS (default 32) calls at once. Then, after a warm-up, rounds that
 * alternate the two clouds (so a drifting machine load weighs on both alike): GET /incidents (limit 50, as the
 * admin page's default is the API's) timed to the last byte of the answer, and GET
 * /incidents?status=ADMIN_ACTION_REQUIRED&select=count (the admin page's count: one counter item, loaded as
 * TakeAdministrativeAction leaves it, however many incidents need action). Every process it starts is stopped.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IncidentStatus } from '../functions/shared/plagiarism/incident-index';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { dynamoDbClient } from '../local/services/dynamodb-local';
import { functionBundles } from '../tests/support/function-bundles';
import { createdAt, incidentItem, putCountedIncidents } from '../tests/support/incident-items';
import { staffHeaders } from '../tests/support/staff-auth';
import { freeCloudPorts } from '../tests/system/support/ports';
import { positiveIntegerFromEnvironment } from './environment';
import { ratioOf, type Headline } from './headline';

const SMALL = 100;
const LARGE = 100_000;
const WARM_UP = 5;

interface Timed {
  ms: number;
  bytes: number;
  body: { Items?: unknown[]; NextToken?: string; Count?: number };
}

interface ScaleCloud {
  incidents: number;
  cloud: LocalCloud;
  headers: Record<string, string>;
}

/** A university's mix: most incidents resolved, one in ten needing action, 30,000 students, one every 15 minutes. */
function statusOf(index: number): IncidentStatus {
  if (index % 10 === 0) return 'ADMIN_ACTION_REQUIRED';
  return index % 10 < 3 ? 'EXAM_SCHEDULED' : 'RESOLVED';
}

async function load(cloud: LocalCloud, count: number, writers: number): Promise<number> {
  const items = Array.from({ length: count }, (_, index) =>
    incidentItem({
      IncidentId: `bench-${String(index).padStart(6, '0')}`,
      CreatedAt: createdAt('2027-01-01T00:00:00.000Z', index * 900_000),
      Status: statusOf(index),
      StudentId: `s-${index % 30_000}`,
    }),
  );
  const client = dynamoDbClient(cloud.urls.dynamodb);
  const started = performance.now();
  try {
    // Those needing action as TakeAdministrativeAction leaves them: marked counted, and the counter holding them.
    await putCountedIncidents(DynamoDBDocumentClient.from(client), items, writers);
  } finally {
    client.destroy();
  }
  return performance.now() - started;
}

async function timedGet(target: ScaleCloud, query: string): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${target.cloud.urls.api}/incidents${query}`, { headers: target.headers });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET /incidents${query} answered ${response.status}: ${text}`);
  return { ms, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

export default async function run(): Promise<Headline[]> {
  const rounds = positiveIntegerFromEnvironment('BENCH_SCALE_ROUNDS', 40);
  const writers = positiveIntegerFromEnvironment('BENCH_SCALE_WRITERS', 32);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-scale-'));
  const bundles = functionBundles();
  const clouds: ScaleCloud[] = [];
  try {
    for (const incidents of [SMALL, LARGE]) {
      const cloud = await startLocalCloud({
        ports: await freeCloudPorts(),
        persist: false,
        stateDir: path.join(dir, `state-${incidents}`),
        ...bundles,
        webRoot: path.join(dir, 'web'),
      });
      const headers = await staffHeaders({ apiUrl: cloud.urls.api }, 'admin');
      clouds.push({ incidents, cloud, headers });
      const loadMs = await load(cloud, incidents, writers);
      console.log(
        `${incidents.toLocaleString('en')} incidents written in ${(loadMs / 1000).toFixed(1)} s ` +
          `(${Math.round(incidents / (loadMs / 1000)).toLocaleString('en')}/s, BatchWriteItem, ${writers} at once)`,
      );
    }
    for (const target of clouds) {
      for (let i = 0; i < WARM_UP; i++) {
        await timedGet(target, '');
        await timedGet(target, '?status=ADMIN_ACTION_REQUIRED&select=count');
      }
    }
    const pages = new Map<number, Timed[]>(clouds.map((target) => [target.incidents, []]));
    const counts = new Map<number, Timed[]>(clouds.map((target) => [target.incidents, []]));
    for (let round = 0; round < rounds; round++) {
      // Alternated, and which goes first alternates too.
      for (const target of round % 2 === 0 ? clouds : [...clouds].reverse()) {
        pages.get(target.incidents)!.push(await timedGet(target, ''));
        counts.get(target.incidents)!.push(await timedGet(target, '?status=ADMIN_ACTION_REQUIRED&select=count'));
      }
    }
    for (const target of clouds) {
      const first = pages.get(target.incidents)!;
      const page = first[0]!.body;
      const bytes = first.map((timed) => timed.bytes);
      console.log(
        `${target.incidents.toLocaleString('en')} incidents: first page median ${ms(median(first.map((t) => t.ms)))}, ` +
          `p90 ${ms(p90(first.map((t) => t.ms)))}, ${page.Items?.length} items, NextToken ${page.NextToken ? 'yes' : 'no'}, ` +
          `${Math.min(...bytes).toLocaleString('en')}-${Math.max(...bytes).toLocaleString('en')} bytes; ` +
          `count of those needing action ${counts.get(target.incidents)![0]!.body.Count} in median ` +
          `${ms(median(counts.get(target.incidents)!.map((t) => t.ms)))}`,
      );
      if ((page.Items?.length ?? 0) > 50 || !page.NextToken)
        console.log(
          `FINDING: the first page of ${target.incidents} incidents has ${page.Items?.length} items and NextToken ${page.NextToken}`,
        );
    }
    const small = pages.get(SMALL)!;
    const large = pages.get(LARGE)!;
    const smallCount = counts.get(SMALL)!;
    const largeCount = counts.get(LARGE)!;
    const medianOf = (timed: Timed[]) => median(timed.map((t) => t.ms));
    return [
      {
        benchmark: 'scale',
        measure: `GET /incidents first page (50 of them), median of ${rounds}`,
        ours: `100,000 incidents: ${ms(medianOf(large))}`,
        peer: `100 incidents: ${ms(medianOf(small))}`,
        ratio: ratioOf(medianOf(large), medianOf(small), 'lower'),
      },
      {
        benchmark: 'scale',
        measure: 'GET /incidents first page, answer size',
        ours: `100,000 incidents: ${median(large.map((t) => t.bytes)).toLocaleString('en')} bytes`,
        peer: `100 incidents: ${median(small.map((t) => t.bytes)).toLocaleString('en')} bytes`,
        ratio: ratioOf(median(large.map((t) => t.bytes)), median(small.map((t) => t.bytes)), 'lower'),
      },
      {
        benchmark: 'scale',
        measure: `count needing action (select=count), median of ${rounds}`,
        ours: `100,000 incidents (${largeCount[0]!.body.Count} counted): ${ms(medianOf(largeCount))}`,
        peer: `100 incidents (${smallCount[0]!.body.Count} counted): ${ms(medianOf(smallCount))}`,
        ratio: ratioOf(medianOf(largeCount), medianOf(smallCount), 'lower'),
      },
    ];
  } finally {
    for (const target of clouds) await target.cloud.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
