/**
 * What a TestState run carries beside an ordinary one (execution/run.ts's `testState`): the mock that stands in for
 * the state's work, the state configuration (a retrier's count so far, Map iteration failures), a given context
 * object, and the inspection data the state's input and output processing records on its way (AWS's
 * `inspectionData`). The states read it only where TestState differs from an execution; an execution has none.
 */
import type { Failure } from '../execution/failure';

/** The mocked outcome of the state's work (a task's service call, a Map's iterations, a Parallel's branches). */
export type MockOutcome = { ok: true; output: unknown } | { ok: false; error: string; cause?: string };

/** InspectionData's JSON-valued members, as the state records them. */
export type InspectionField =
  | 'input'
  | 'afterArguments'
  | 'afterInputPath'
  | 'afterParameters'
  | 'result'
  | 'afterResultSelector'
  | 'afterResultPath'
  | 'afterItemsPath'
  | 'afterItemSelector'
  | 'afterItemBatcher'
  | 'afterItemsPointer';

/** InspectionData's numeric members: a Map state's settings as evaluated. */
export type InspectionSetting = 'maxConcurrency' | 'toleratedFailureCount' | 'toleratedFailurePercentage';

/** AWS's InspectionErrorDetails: which retrier or catcher handled the error, and the back-off it would wait. */
export interface ErrorDetails {
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
  catchIndex?: number;
}

export interface TestSessionOptions {
  mock?: MockOutcome;
  /** stateConfiguration.retrierRetryCount: retries the matching retrier has already made (default 0). */
  retrierRetryCount?: number;
  /** stateConfiguration.mapIterationFailureCount: how many of a mocked Map's iterations failed. */
  mapIterationFailureCount?: number;
  /** stateConfiguration.mapItemReaderData: the items a distributed Map's ItemReader reads. */
  mapItemReaderData?: unknown;
  /** The context object the state sees, as the caller gave it (none: built as for an execution). */
  context?: Record<string, unknown>;
}

/** Thrown out of the state when a retrier would retry the error: TestState answers RETRIABLE. */
export class RetriableFailure extends Error {
  constructor(readonly failure: Failure) {
    super('retriable');
    this.name = 'RetriableFailure';
  }
}

export class TestSession {
  readonly mock?: MockOutcome;
  readonly retrierRetryCount: number;
  readonly mapIterationFailureCount?: number;
  readonly mapItemReaderData?: unknown;
  readonly context?: Record<string, unknown>;
  readonly data: Partial<Record<InspectionField, unknown>> = {};
  readonly settings: Partial<Record<InspectionSetting, number>> = {};
  readonly errorDetails: ErrorDetails = {};
  /** The error a catcher took, when one did (TestState's CAUGHT_ERROR). */
  caught?: Failure;

  constructor(options: TestSessionOptions) {
    this.mock = options.mock;
    this.retrierRetryCount = options.retrierRetryCount ?? 0;
    this.mapIterationFailureCount = options.mapIterationFailureCount;
    this.mapItemReaderData = options.mapItemReaderData;
    this.context = options.context;
  }

  /** Records a stage of the state's data flow; the first value recorded for a field stays (a state's own input). */
  record(field: InspectionField, value: unknown): void {
    if (!(field in this.data)) this.data[field] = value;
  }

  setting(field: InspectionSetting, value: number | undefined): void {
    if (value !== undefined) this.settings[field] = value;
  }
}
