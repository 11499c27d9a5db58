/**
 * Map runs: a Distributed Map's iterations as child workflow executions (the engine's MapRunHost), and what
 * DescribeMapRun, ListMapRuns, UpdateMapRun and ListExecutions(mapRunArn) answer of them.
 *
 * As on AWS: a map run's ARN is `mapRun:<stateMachineName>/<label>:<id>` and its children's state machine
 * `stateMachine:<stateMachineName>/<label>` (LocalStack's AWS-validated test_sfn_api_map_run); a STANDARD child is
 * `execution:<stateMachineName>/<label>:<id>`, an EXPRESS one `express:<stateMachineName>/<label>:<id>:<id>`; each
 * child has its own history; at most MaxConcurrency run at once (0: up to 10,000, AWS's limit for child
 * executions running at once); a child that fails, times out or is aborted counts against
 * ToleratedFailureCount/Percentage, and past them the run fails with States.ExceedToleratedFailureThreshold and its
 * running children are stopped; UpdateMapRun changes the concurrency and the tolerance of a running map run;
 * stopping the parent aborts the children. Map runs persist (`map-runs.jsonl`) and a resumed parent carries on
 * with the children it had.
 */
import crypto from 'node:crypto';
import type { Engine, ExecutionInfo, MapRunHost, MapRunOutcome, MapRunRequest } from '@serverless-workflows/sfn-engine';
import { type ArnScope, parseStatesArn } from './arns';
import { resourceNotFound, resourceTypeNotValid, validationException } from './errors';
import { type ExecutionEntry, type Executions, infoOf } from './executions';
import type { ExecutionMeta, MapRunRecord } from './model';
import type { KeyedStore } from './store/keyed-store';

/** "Maximum number of concurrent child workflow executions ... 10,000" (Distributed Map, service quotas). */
export const MAX_CHILDREN_AT_ONCE = 10_000;

const FAILED_STATUSES = new Set<ExecutionInfo['status']>(['FAILED', 'TIMED_OUT', 'ABORTED']);

const noSuchMapRun = (arn: string) => resourceNotFound(`Map Run Does Not Exist: '${arn}'`);

export class MapRuns implements MapRunHost {
  private readonly records = new Map<string, MapRunRecord>();
  /** wakes a running map run's loop (a child ended, UpdateMapRun) */
  private readonly wakers = new Map<string, () => void>();

  constructor(
    private readonly scope: ArnScope,
    private readonly store: KeyedStore<MapRunRecord>,
    private readonly executions: Executions,
    private readonly engine: () => Engine,
    private readonly now: () => number,
  ) {}

  restore(records: MapRunRecord[]): void {
    for (const record of records) this.records.set(record.mapRunArn, record);
  }

  get(arn: string): MapRunRecord {
    const { resourceType } = parseStatesArn(arn);
    if (resourceType !== 'mapRun') throw resourceTypeNotValid(resourceType);
    const record = this.records.get(arn);
    if (!record) throw noSuchMapRun(arn);
    return record;
  }

  /** The map runs an execution started, oldest first. */
  of(executionArn: string): MapRunRecord[] {
    return [...this.records.values()]
      .filter((record) => record.executionArn === executionArn)
      .sort((a, b) => a.startDate - b.startDate);
  }

  update(
    arn: string,
    changes: { maxConcurrency?: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number },
  ): void {
    const record = this.get(arn);
    if (Object.values(changes).every((value) => value === undefined)) {
      throw validationException(
        'At least one of maxConcurrency, toleratedFailureCount or toleratedFailurePercentage must be specified',
      );
    }
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    this.save({ ...record, ...defined });
    this.wakers.get(arn)?.();
  }

  /** The engine's MapRunHost: a new map run, or the one a resumed parent had. */
  async run(request: MapRunRequest): Promise<MapRunOutcome> {
    let record = this.records.get(request.mapRunArn);
    if (!record) {
      record = {
        mapRunArn: request.mapRunArn,
        executionArn: request.executionArn,
        stateMachineArn: `${request.stateMachineArn}/${request.label}`,
        label: request.label,
        startDate: this.now(),
        status: 'RUNNING',
        maxConcurrency: request.maxConcurrency,
        toleratedFailureCount: request.toleratedFailureCount,
        toleratedFailurePercentage: request.toleratedFailurePercentage,
        itemsPerChild: request.inputs.map((input) => itemsIn(input, request)),
        children: [],
      };
      this.save(record);
    }
    if (record.status !== 'RUNNING') return this.outcomeOf(record);
    return this.drive(record.mapRunArn, request);
  }

  /** Starts children as concurrency allows and waits for them, until the run succeeds, fails or is aborted. */
  private async drive(arn: string, request: MapRunRequest): Promise<MapRunOutcome> {
    for (;;) {
      const record = this.records.get(arn)!;
      const statuses = record.children.map((child) => this.statusOf(child));
      const running = statuses.filter((status) => status === 'RUNNING').length;
      const failed = statuses.filter((status) => FAILED_STATUSES.has(status)).length;
      if (request.signal.aborted) {
        this.stopChildren(record);
        this.finish(record, 'ABORTED');
        return { ok: false, error: 'States.Runtime', cause: 'The map run was aborted with its execution' };
      }
      if (exceedsTolerance(record, failed)) {
        this.stopChildren(record);
        this.finish(record, 'FAILED', {
          error: 'States.ExceedToleratedFailureThreshold',
          cause: 'The specified tolerated failure threshold was exceeded',
        });
        return this.outcomeOf(this.records.get(arn)!);
      }
      if (record.children.length === request.inputs.length && running === 0) {
        this.finish(record, 'SUCCEEDED');
        return this.outcomeOf(this.records.get(arn)!);
      }
      const limit = record.maxConcurrency > 0 ? record.maxConcurrency : MAX_CHILDREN_AT_ONCE;
      let started = running;
      let current = record;
      while (started < limit && current.children.length < request.inputs.length) {
        current = this.startChild(current, request);
        started++;
      }
      await this.nextChange(arn, request.signal);
    }
  }

  private startChild(record: MapRunRecord, request: MapRunRequest): MapRunRecord {
    const parent = this.executions.get(request.executionArn)!.meta;
    const index = record.children.length;
    const name = crypto.randomUUID();
    const { region, accountId } = this.scope;
    const stateMachineName = `${request.stateMachineName}/${request.label}`;
    const executionArn =
      request.executionType === 'EXPRESS'
        ? `arn:aws:states:${region}:${accountId}:express:${stateMachineName}:${name}:${crypto.randomUUID()}`
        : `arn:aws:states:${region}:${accountId}:execution:${stateMachineName}:${name}`;
    const { loggingConfiguration, tracingConfiguration, roleArn } = parent.stateMachine;
    const meta: ExecutionMeta = {
      executionArn,
      stateMachineArn: record.stateMachineArn,
      stateMachineName,
      mapRunArn: record.mapRunArn,
      name,
      type: request.executionType,
      input: JSON.stringify(request.inputs[index]),
      stateMachine: {
        definition: JSON.stringify(request.definition),
        roleArn,
        loggingConfiguration,
        tracingConfiguration,
        updateDate: record.startDate,
      },
    };
    const entry = this.executions.start(meta, request.inputs[index], undefined);
    const updated = { ...record, children: [...record.children, executionArn] };
    this.save(updated);
    void entry.live?.done.then(() => this.wakers.get(record.mapRunArn)?.());
    return updated;
  }

  private nextChange(arn: string, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        if (this.wakers.get(arn) === wake) this.wakers.delete(arn);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.wakers.set(arn, wake);
      signal.addEventListener('abort', wake, { once: true });
      // Children resumed after a restart: wake when any of them ends.
      for (const child of this.records.get(arn)!.children) {
        const entry = this.executions.get(child);
        if (entry?.live && infoOf(entry).status === 'RUNNING') void entry.live.done.then(wake);
      }
    });
  }

  private statusOf(childArn: string): ExecutionInfo['status'] {
    const entry = this.executions.get(childArn);
    return entry ? infoOf(entry).status : 'ABORTED';
  }

  private stopChildren(record: MapRunRecord): void {
    for (const child of record.children) {
      if (this.statusOf(child) === 'RUNNING') this.engine().stop(child);
    }
  }

  private finish(record: MapRunRecord, status: MapRunRecord['status'], failure?: { error: string; cause: string }) {
    this.save({ ...record, status, stopDate: this.now(), ...failure });
  }

  private outcomeOf(record: MapRunRecord): MapRunOutcome {
    if (record.status !== 'SUCCEEDED') {
      return { ok: false, error: record.error ?? 'States.Runtime', ...(record.cause ? { cause: record.cause } : {}) };
    }
    return {
      ok: true,
      results: record.children.map((child) => {
        const info = infoOf(this.executions.get(child) as ExecutionEntry);
        return info.status === 'SUCCEEDED' ? info.output : { Error: info.error ?? null, Cause: info.cause ?? null };
      }),
    };
  }

  /** DescribeMapRun's itemCounts and executionCounts. */
  counts(record: MapRunRecord) {
    const executionCounts = emptyCounts(record.itemsPerChild.length);
    const itemCounts = emptyCounts(record.itemsPerChild.reduce((sum, items) => sum + items, 0));
    record.itemsPerChild.forEach((items, index) => {
      const child = record.children[index];
      const key = child === undefined ? 'pending' : countKey(this.statusOf(child));
      executionCounts[key] += 1;
      itemCounts[key] += items;
      if (key === 'succeeded') {
        executionCounts.resultsWritten += 1;
        itemCounts.resultsWritten += items;
      }
    });
    return { itemCounts, executionCounts };
  }

  private save(record: MapRunRecord): void {
    this.store.put(record);
    this.records.set(record.mapRunArn, record);
  }
}

function itemsIn(input: unknown, request: MapRunRequest): number {
  if (request.inputs.length === request.itemCount) return 1;
  const items = (input as { Items?: unknown[] } | null)?.Items;
  return Array.isArray(items) ? items.length : 1;
}

/** The Map state's rule (as the engine's inline Map applies it): within either tolerance is within. */
function exceedsTolerance(record: MapRunRecord, failed: number): boolean {
  if (failed === 0) return false;
  const total = record.itemsPerChild.length;
  const withinCount = failed <= record.toleratedFailureCount;
  const withinPercentage = total > 0 && (failed / total) * 100 <= record.toleratedFailurePercentage;
  return !(withinCount || withinPercentage);
}

type CountKey = 'pending' | 'running' | 'succeeded' | 'failed' | 'timedOut' | 'aborted';

function countKey(status: ExecutionInfo['status']): CountKey {
  switch (status) {
    case 'RUNNING':
      return 'running';
    case 'SUCCEEDED':
      return 'succeeded';
    case 'TIMED_OUT':
      return 'timedOut';
    case 'ABORTED':
      return 'aborted';
    default:
      return 'failed';
  }
}

function emptyCounts(total: number) {
  return { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total, resultsWritten: 0 };
}
