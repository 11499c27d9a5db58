/**
 * What the Step Functions API keeps about state machines and executions, in memory and on disk.
 * Times are epoch milliseconds, as in the engine; the wire format converts them to epoch seconds.
 */
export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface LoggingConfiguration {
  level?: string;
  includeExecutionData?: boolean;
  destinations?: unknown[];
}

/** The parts of a state machine that a revision fixes (what an execution runs with). */
export interface StateMachineRevision {
  definition: string;
  roleArn: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: { enabled?: boolean };
  /** set once the state machine has been updated */
  revisionId?: string;
  /** creation or last update time */
  updateDate: number;
}

export interface Tag {
  key: string;
  value: string;
}

export interface StateMachineRecord extends StateMachineRevision {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  creationDate: number;
  encryptionConfiguration?: Record<string, unknown>;
  tags: Tag[];
  /** the highest version number ever published: AWS never reuses one, even after it is deleted */
  lastVersion?: number;
}

/** A published version: the revision it was published from, frozen (PublishStateMachineVersion). */
export interface StateMachineVersionRecord extends StateMachineRevision {
  stateMachineVersionArn: string;
  stateMachineArn: string;
  version: number;
  description?: string;
  creationDate: number;
}

export interface RoutingConfigurationItem {
  stateMachineVersionArn: string;
  weight: number;
}

export interface StateMachineAliasRecord {
  stateMachineAliasArn: string;
  stateMachineArn: string;
  name: string;
  description?: string;
  routingConfiguration: RoutingConfigurationItem[];
  creationDate: number;
  updateDate: number;
}

export interface ActivityRecord {
  activityArn: string;
  name: string;
  creationDate: number;
  encryptionConfiguration?: Record<string, unknown>;
  tags: Tag[];
}

/** Everything needed to describe an execution and to resume it after a restart. */
export interface ExecutionMeta {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  /** set when the execution was started through a version ARN, or through an alias (the version it chose) */
  stateMachineVersionArn?: string;
  /** set when the execution was started through an alias ARN */
  stateMachineAliasArn?: string;
  /** set for a Distributed Map's child workflow execution: the map run that started it */
  mapRunArn?: string;
  /** and the item (or batch) it runs, 0-based */
  mapRunIndex?: number;
  /** and the map run's redrives before it started (an EXPRESS child started again by a redrive supersedes the one before) */
  mapRunRedrive?: number;
  name: string;
  type: StateMachineType;
  /** the input as the caller sent it (JSON text) */
  input: string;
  traceHeader?: string;
  /**
   * The X-Ray trace the execution's Lambda tasks join, set when the state machine has tracing enabled (as on
   * AWS): the Root of the traceHeader passed at start, else a new trace id. Local only (no API answers it but
   * the dashboard's /_local/executions endpoints).
   */
  traceId?: string;
  /** the mock configuration test case (`<arn>#<TestCase>`) the execution runs with */
  testCase?: string;
  /** the state machine revision the execution was started with */
  stateMachine: StateMachineRevision;
}

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** A Distributed Map's run of child executions (map-runs.ts). */
export interface MapRunRecord {
  mapRunArn: string;
  /** the parent execution */
  executionArn: string;
  /** what AWS calls the children's state machine: `<stateMachineArn>/<label>` */
  stateMachineArn: string;
  label: string;
  startDate: number;
  stopDate?: number;
  status: MapRunStatus;
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  /** how many items each child execution holds (1 each without an ItemBatcher); the children name their map run */
  itemsPerChild: number[];
  /** how many times the parent's redrives redrove it, and when last (DescribeMapRun) */
  redriveCount?: number;
  redriveDate?: number;
  /** the item indices whose unsuccessful child is waiting to be redriven (or started again) */
  pendingRedrive?: number[];
  error?: string;
  cause?: string;
}
