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
 *
 * A redriven parent redrives its failed or aborted map run (MapRunRequest.redrive), as AWS documents it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html): the map run is RUNNING again with
 * redriveCount and redriveDate, its succeeded children are kept (their results are its results), its failed,
 * timed-out and aborted STANDARD children are redriven (same ARN, RedriveExecution's semantics: they continue from
 * what failed) and its EXPRESS ones are started again with the same input, all within MaxConcurrency; until its
 * turn such a child counts as pendingRedrive, and a STANDARD child that cannot be redriven (its own redriveStatus
 * is NOT_REDRIVABLE) stays failed, counts as failuresNotRedrivable and against the tolerated failures.
 */
import crypto from 'node:crypto';
import {
  type Engine,
  ExecutionError,
  type ExecutionInfo,
  type MapRunHost,
  type MapRunOutcome,
  type MapRunRequest,
  redriveVerdict,
} from '@serverless-workflows/sfn-engine';
import { type ArnScope, parseStatesArn } from './arns';
import { resourceNotFound, resourceTypeNotValid, validationException } from './errors';
import { type ExecutionEntry, type Executions, eventsOf, infoOf } from './executions';
import type { ExecutionMeta, MapRunRecord } from './model';
import type { KeyedStore } from './store/keyed-store';

/** "Maximum number of concurrent child workflow executions ... 10,000" (Distributed Map, service quotas). */
export const MAX_CHILDREN_AT_ONCE = 10_000;

const FAILED_STATUSES = new Set<ExecutionInfo['status']>(['FAILED', 'TIMED_OUT', 'ABORTED']);

const noSuchMapRun = (arn: string) => resourceNotFound(`Map Run Does Not Exist: '${arn}'`);

export class MapRuns implements MapRunHost {
  private readonly records = new Map<string, MapRunRecord>();
  /** wakes a running map run's loop (UpdateMapRun) */
  private readonly wakers = new Map<string, () => void>();
  /** each map run's child executions by item index (childrenOf) */
  private readonly children = new Map<string, string[]>();

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

  /** The engine's MapRunHost: a new map run, the one a resumed parent had, or the one a redriven parent redrives. */
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
      };
      this.save(record);
    } else if (request.redrive) record = this.redrive(record);
    if (record.status !== 'RUNNING') return this.outcomeOf(record);
    return this.drive(record.mapRunArn, request);
  }

  /** The map run RUNNING again, its redrive counted, its unsuccessful children queued to be redriven. */
  private redrive(record: MapRunRecord): MapRunRecord {
    const { stopDate: _stopDate, error: _error, cause: _cause, ...open } = record;
    const pendingRedrive = this.childrenOf(record.mapRunArn).flatMap((child, index) =>
      FAILED_STATUSES.has(this.statusOf(child)) ? [index] : [],
    );
    const redriven: MapRunRecord = {
      ...open,
      status: 'RUNNING',
      redriveCount: (record.redriveCount ?? 0) + 1,
      redriveDate: this.now(),
      pendingRedrive,
    };
    this.save(redriven);
    return redriven;
  }

  /**
   * Starts children as concurrency allows and waits for them, until the run succeeds, fails or is aborted. What
   * runs and what failed is counted as children end, so a run of N children costs O(N), not O(N²).
   */
  private async drive(arn: string, request: MapRunRequest): Promise<MapRunOutcome> {
    const children = this.childrenOf(arn);
    /** item indices whose child waits to be redriven, in item order */
    const queue = [...(this.records.get(arn)!.pendingRedrive ?? [])];
    const running = new Set<string>();
    let failed = 0;
    let changed = false;
    let waiting: (() => void) | undefined;
    const notify = () => {
      changed = true;
      waiting?.();
    };
    const follow = (child: string) => {
      const entry = this.executions.get(child);
      const status = entry ? infoOf(entry).status : 'ABORTED';
      if (status !== 'RUNNING' || !entry?.live) {
        if (FAILED_STATUSES.has(status)) failed++;
        return;
      }
      running.add(child);
      void entry.live.done.then((info) => {
        running.delete(child);
        if (FAILED_STATUSES.has(info.status)) failed++;
        notify();
      });
    };
    const queued = new Set(queue);
    children.forEach((child, index) => {
      if (!queued.has(index)) follow(child);
    });
    this.wakers.set(arn, notify);
    request.signal.addEventListener('abort', notify, { once: true });
    try {
      for (;;) {
        const record = this.records.get(arn)!;
        if (request.signal.aborted) {
          for (const child of running) this.engine().stop(child);
          this.finish(record, 'ABORTED');
          return { ok: false, error: 'States.Runtime', cause: 'The map run was aborted with its execution' };
        }
        if (exceedsTolerance(record, failed)) {
          for (const child of running) this.engine().stop(child);
          this.finish(record, 'FAILED', {
            error: 'States.ExceedToleratedFailureThreshold',
            cause: 'The specified tolerated failure threshold was exceeded',
          });
          return this.outcomeOf(this.records.get(arn)!);
        }
        if (children.length === request.inputs.length && running.size === 0 && queue.length === 0) {
          this.finish(record, 'SUCCEEDED');
          return this.outcomeOf(this.records.get(arn)!);
        }
        const limit = record.maxConcurrency > 0 ? record.maxConcurrency : MAX_CHILDREN_AT_ONCE;
        const redriving = queue.length;
        while (running.size < limit && (queue.length > 0 || children.length < request.inputs.length)) {
          const index = queue.shift();
          follow(
            index === undefined
              ? this.startChild(record, request, children.length)
              : this.redriveChild(record, request, index),
          );
        }
        if (queue.length !== redriving) this.save({ ...this.records.get(arn)!, pendingRedrive: [...queue] });
        if (!changed) await new Promise<void>((resolve) => (waiting = resolve));
        waiting = undefined;
        changed = false;
      }
    } finally {
      this.wakers.delete(arn);
      request.signal.removeEventListener('abort', notify);
    }
  }

  /**
   * Redrives the unsuccessful child of item `index`: a STANDARD one continues under its ARN (one that cannot be
   * redriven stays as it is), an EXPRESS one is started again.
   */
  private redriveChild(record: MapRunRecord, request: MapRunRequest, index: number): string {
    const child = this.childrenOf(record.mapRunArn)[index];
    const entry = this.executions.get(child);
    if (!entry || entry.meta.type === 'EXPRESS') return this.startChild(record, request, index);
    try {
      this.executions.redrive(entry, undefined, {});
    } catch (error) {
      if (!(error instanceof ExecutionError)) throw error;
    }
    return child;
  }

  /** Starts the child of item (batch) `index`; its ARN is kept with its execution (ExecutionMeta.mapRunArn). */
  private startChild(record: MapRunRecord, request: MapRunRequest, index: number): string {
    const parent = this.executions.get(request.executionArn)!.meta;
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
      mapRunIndex: index,
      mapRunRedrive: record.redriveCount ?? 0,
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
    this.executions.start(meta, request.inputs[index], undefined);
    this.childrenOf(record.mapRunArn)[index] = executionArn;
    return executionArn;
  }

  /**
   * A map run's children by item index: read from the executions (each child's metadata names its map run, index
   * and the redrive that started it: an EXPRESS child started again supersedes the one before) the first time,
   * then kept as they start.
   */
  private childrenOf(arn: string): string[] {
    let children = this.children.get(arn);
    if (!children) {
      const latest: string[] = [];
      this.executions
        .all()
        .filter((entry) => entry.meta.mapRunArn === arn)
        .sort((a, b) => (a.meta.mapRunRedrive ?? 0) - (b.meta.mapRunRedrive ?? 0))
        .forEach((entry) => {
          latest[entry.meta.mapRunIndex ?? 0] = entry.meta.executionArn;
        });
      children = latest;
      this.children.set(arn, children);
    }
    return children;
  }

  private statusOf(childArn: string): ExecutionInfo['status'] {
    const entry = this.executions.get(childArn);
    return entry ? infoOf(entry).status : 'ABORTED';
  }

  private finish(record: MapRunRecord, status: MapRunRecord['status'], failure?: { error: string; cause: string }) {
    // Children still waiting for their redrive stay unsuccessful: the next redrive queues them again.
    this.save({ ...record, status, stopDate: this.now(), pendingRedrive: [], ...failure });
  }

  private outcomeOf(record: MapRunRecord): MapRunOutcome {
    if (record.status !== 'SUCCEEDED') {
      return { ok: false, error: record.error ?? 'States.Runtime', ...(record.cause ? { cause: record.cause } : {}) };
    }
    return {
      ok: true,
      results: this.childrenOf(record.mapRunArn).map((child) => {
        const info = infoOf(this.executions.get(child) as ExecutionEntry);
        return info.status === 'SUCCEEDED' ? info.output : { Error: info.error ?? null, Cause: info.cause ?? null };
      }),
    };
  }

  /** DescribeMapRun's itemCounts and executionCounts. */
  counts(record: MapRunRecord) {
    const executionCounts = emptyCounts(record.itemsPerChild.length);
    const itemCounts = emptyCounts(record.itemsPerChild.reduce((sum, items) => sum + items, 0));
    const pendingRedrive = pendingRedriveOf(record);
    record.itemsPerChild.forEach((items, index) => {
      const child = this.childrenOf(record.mapRunArn)[index];
      const key =
        child === undefined ? 'pending' : pendingRedrive.has(index) ? 'pendingRedrive' : countKey(this.statusOf(child));
      executionCounts[key] += 1;
      itemCounts[key] += items;
      if ((key === 'failed' || key === 'timedOut' || key === 'aborted') && !this.redrivable(child)) {
        executionCounts.failuresNotRedrivable += 1;
        itemCounts.failuresNotRedrivable += items;
      }
      if (key === 'succeeded') {
        executionCounts.resultsWritten += 1;
        itemCounts.resultsWritten += items;
      }
    });
    return { itemCounts, executionCounts };
  }

  /** Whether an execution is a map run's unsuccessful child waiting for its turn to be redriven (PENDING_REDRIVE). */
  awaitsRedrive(meta: ExecutionMeta): boolean {
    if (meta.mapRunArn === undefined || meta.mapRunIndex === undefined) return false;
    const record = this.records.get(meta.mapRunArn);
    return (
      record !== undefined &&
      pendingRedriveOf(record).has(meta.mapRunIndex) &&
      this.childrenOf(meta.mapRunArn)[meta.mapRunIndex] === meta.executionArn
    );
  }

  /** Whether a redrive of the map run could redrive this unsuccessful child (an EXPRESS one is started again). */
  private redrivable(child: string): boolean {
    const entry = this.executions.get(child);
    if (!entry) return false;
    if (entry.meta.type === 'EXPRESS') return true;
    const events = eventsOf(entry);
    return events.length > 0 && redriveVerdict(events, 'STANDARD', this.now()).redrivable;
  }

  private save(record: MapRunRecord): void {
    this.store.put(record);
    this.records.set(record.mapRunArn, record);
  }
}

/** Each record's pendingRedrive as a set, kept while the record is current (a save replaces the record). */
const pendingSets = new WeakMap<MapRunRecord, ReadonlySet<number>>();

function pendingRedriveOf(record: MapRunRecord): ReadonlySet<number> {
  let pending = pendingSets.get(record);
  if (!pending) {
    pending = new Set(record.pendingRedrive ?? []);
    pendingSets.set(record, pending);
  }
  return pending;
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

type CountKey = 'pending' | 'running' | 'succeeded' | 'failed' | 'timedOut' | 'aborted' | 'pendingRedrive';

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
  return {
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    aborted: 0,
    total,
    resultsWritten: 0,
    failuresNotRedrivable: 0,
    pendingRedrive: 0,
  };
}
