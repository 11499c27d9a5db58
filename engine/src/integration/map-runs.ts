/**
 * The host's side of a Distributed Map (ItemProcessor.ProcessorConfig.Mode DISTRIBUTED): as on AWS, its iterations
 * run as child workflow executions of a map run, each with its own history, not as iteration events in the parent's.
 * The engine records MapRunStarted with the map run's ARN and hands the run to the host, which starts the children
 * (through the engine), bounds them by MaxConcurrency, applies the tolerated failures (which UpdateMapRun may change
 * while it runs) and answers the children's outputs in item order. `run` is asked again, with the same ARN, when
 * the parent is resumed after a restart (the host carries on with the children it already has) and when a redriven
 * parent redrives the map run (`redrive`).
 */
export interface MapRunRequest {
  mapRunArn: string;
  /** the parent execution */
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn?: string;
  /** the Map's Label, or a generated one when it has none (the ARN's `<stateMachineName>/<label>`) */
  label: string;
  /** the ItemProcessor as a state machine definition (StartAt, States, QueryLanguage) */
  definition: Record<string, unknown>;
  executionType: 'STANDARD' | 'EXPRESS';
  /** one child execution's input each (ItemSelector and ItemBatcher applied) */
  inputs: unknown[];
  /** how many items those inputs hold (more than inputs with an ItemBatcher) */
  itemCount: number;
  /** 0: as many at once as AWS allows */
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  /**
   * Set when the parent was redriven and this map run (already known to the host) ended without succeeding in an
   * earlier attempt: the host redrives it as AWS does (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html):
   * it is RUNNING again with its redrive counted, its succeeded children are kept, its failed, timed-out and
   * aborted STANDARD children are redriven (RedriveExecution) and its EXPRESS ones started again with the same
   * input, within MaxConcurrency, and children never started are started.
   */
  redrive?: boolean;
  /** aborted when the parent stops waiting (it was stopped, timed out or failed): the host aborts the children */
  signal: AbortSignal;
}

export type MapRunOutcome = { ok: true; results: unknown[] } | { ok: false; error: string; cause?: string };

export interface MapRunHost {
  run(request: MapRunRequest): Promise<MapRunOutcome>;
}
