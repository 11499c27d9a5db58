/**
 * Activities (CreateActivity, DescribeActivity, ListActivities, DeleteActivity) and their workers' side of the
 * engine's activity tasks: scheduled tasks wait in their activity's queue until a worker polls (GetActivityTask),
 * which takes the oldest one (the engine records ActivityStarted with the worker's name) or waits for one.
 *
 * AWS's rules: CreateActivity is idempotent for a name (LocalStack's AWS-validated test_sfn_api_activities), and
 * refuses a different encryption configuration (ActivityAlreadyExists); an unknown ARN is ActivityDoesNotExist
 * "Activity Does Not Exist: '<arn>'"; DescribeActivity answers the AWS-owned key when no other was given. A poll is
 * held "60 seconds. If no task is available within 60 seconds, the poll returns a taskToken with a null string"
 * (GetActivityTask API reference): here on the engine's clock, so POST /_local/clock ends it, and it ends when its
 * client hangs up or the server closes. "Maximum number of pollers per activity ARN: 1,000" (service quotas, over
 * which AWS answers ActivityWorkerLimitExceeded).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ActivityHost, ActivityTask, Clock } from '@serverless-workflows/sfn-engine';
import { activityArn, type ArnScope, parseActivityArn } from './arns';
import { SfnApiError, activityAlreadyExists, activityDoesNotExist } from './errors';
import type { ActivityRecord, Tag } from './model';
import { assertValidName } from './names';
import type { KeyedStore } from './store/keyed-store';
import { checkedTags, mergedTags } from './tags';

export const POLL_MS = 60_000;
export const MAX_POLLERS = 1000;

interface Poller {
  hand(task: ActivityTask): boolean;
}

export class Activities implements ActivityHost {
  private readonly activities = new Map<string, ActivityRecord>();
  /** scheduled tasks no worker has taken yet, oldest first */
  private readonly queues = new Map<string, ActivityTask[]>();
  /** GetActivityTask calls waiting for a task, oldest first */
  private readonly pollers = new Map<string, Poller[]>();

  constructor(
    private readonly scope: ArnScope,
    private readonly store: KeyedStore<ActivityRecord>,
    private readonly clock: Clock,
    /** the engine's startActivityTask: throws when the task no longer waits */
    private readonly start: (taskToken: string, workerName: string | undefined) => void,
  ) {}

  restore(records: ActivityRecord[]): void {
    for (const record of records) this.activities.set(record.activityArn, record);
  }

  create(request: {
    name: string;
    tags?: { key?: string; value?: string }[];
    encryptionConfiguration?: Record<string, unknown>;
  }): ActivityRecord {
    assertValidName(request.name);
    const arn = activityArn(this.scope, request.name);
    const tags = mergedTags(arn, [], checkedTags(request.tags ?? []));
    const existing = this.activities.get(arn);
    if (existing) {
      if (!isDeepStrictEqual(existing.encryptionConfiguration, request.encryptionConfiguration))
        throw activityAlreadyExists(arn);
      return existing;
    }
    const record: ActivityRecord = {
      activityArn: arn,
      name: request.name,
      creationDate: this.clock.now(),
      ...(request.encryptionConfiguration ? { encryptionConfiguration: request.encryptionConfiguration } : {}),
      tags,
    };
    this.save(record);
    return record;
  }

  get(arn: string): ActivityRecord {
    parseActivityArn(arn);
    const record = this.activities.get(arn);
    if (!record) throw activityDoesNotExist(arn);
    return record;
  }

  list(): ActivityRecord[] {
    return [...this.activities.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Deleting an unknown activity succeeds, as on AWS. Tasks already scheduled keep waiting (and time out). */
  delete(arn: string): void {
    parseActivityArn(arn);
    if (!this.activities.delete(arn)) return;
    this.store.delete(arn);
  }

  setTags(arn: string, tags: Tag[]): void {
    this.save({ ...this.get(arn), tags });
  }

  has(arn: string): boolean {
    return this.activities.has(arn);
  }

  schedule(task: ActivityTask): void {
    if (task.signal.aborted) return;
    for (const poller of this.pollers.get(task.activityArn) ?? []) if (poller.hand(task)) return;
    const queue = this.queues.get(task.activityArn) ?? [];
    queue.push(task);
    this.queues.set(task.activityArn, queue);
    task.signal.addEventListener('abort', () => this.unqueue(task), { once: true });
  }

  /**
   * GetActivityTask: the oldest waiting task of the activity, taken by `workerName`, or undefined after the
   * long poll's 60 s on the clock (or when `signal` aborts: the client hung up).
   */
  async poll(arn: string, workerName: string | undefined, signal: AbortSignal): Promise<ActivityTask | undefined> {
    this.get(arn);
    for (const task of [...(this.queues.get(arn) ?? [])]) {
      this.unqueue(task);
      if (this.take(task, workerName)) return task;
    }
    const waiting = this.pollers.get(arn) ?? [];
    if (waiting.length >= MAX_POLLERS) {
      throw new SfnApiError(
        'ActivityWorkerLimitExceeded',
        `The maximum number of workers concurrently polling for activity tasks (${MAX_POLLERS}) has been reached.`,
      );
    }
    const done = new AbortController();
    let handed: ActivityTask | undefined;
    const poller: Poller = {
      hand: (task) => {
        if (done.signal.aborted || !this.take(task, workerName)) return false;
        handed = task;
        done.abort();
        return true;
      },
    };
    waiting.push(poller);
    this.pollers.set(arn, waiting);
    try {
      await this.clock.sleepUntil(this.clock.now() + POLL_MS, AbortSignal.any([signal, done.signal]));
    } catch {
      // handed a task, or the client or the server went away
    } finally {
      done.abort();
      const left = (this.pollers.get(arn) ?? []).filter((other) => other !== poller);
      if (left.length > 0) this.pollers.set(arn, left);
      else this.pollers.delete(arn);
    }
    return handed;
  }

  private take(task: ActivityTask, workerName: string | undefined): boolean {
    if (task.signal.aborted) return false;
    try {
      this.start(task.taskToken, workerName);
      return true;
    } catch {
      return false; // the task ended meanwhile (timed out, execution stopped)
    }
  }

  private unqueue(task: ActivityTask): void {
    const queue = this.queues.get(task.activityArn);
    if (!queue) return;
    const left = queue.filter((other) => other !== task);
    if (left.length > 0) this.queues.set(task.activityArn, left);
    else this.queues.delete(task.activityArn);
  }

  private save(record: ActivityRecord): void {
    this.store.put(record);
    this.activities.set(record.activityArn, record);
  }
}
