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

export interface StateMachineRecord extends StateMachineRevision {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  creationDate: number;
  encryptionConfiguration?: Record<string, unknown>;
  tags: { key?: string; value?: string }[];
}

/** Everything needed to describe an execution and to resume it after a restart. */
export interface ExecutionMeta {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
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
