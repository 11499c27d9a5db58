/**
 * The host's side of activity tasks (a Task whose Resource is `arn:aws:states:<region>:<account>:activity:<name>`):
 * the engine schedules the task with its input and task token; the host hands it to a worker that polls
 * (GetActivityTask) and then tells the engine it started (Engine.startActivityTask, the ActivityStarted event);
 * the worker answers with SendTaskSuccess/Failure/Heartbeat and the task's token.
 */
export interface ActivityTask {
  activityArn: string;
  /** the effective Parameters, as JSON text (what GetActivityTask answers as `input`) */
  input: string;
  taskToken: string;
  executionArn: string;
  stateName: string;
  /** aborted when the task no longer waits for a worker or an answer (timed out, execution stopped or ended) */
  signal: AbortSignal;
}

export interface ActivityHost {
  /**
   * Whether the activity exists, asked before a task is scheduled: when it does not, the execution fails with
   * States.Runtime "The activity <arn> does not exist.", as on AWS.
   */
  has(activityArn: string): boolean;
  /** Queues the task for the activity's workers (again after a restart, for a task no worker had taken). */
  schedule(task: ActivityTask): void;
}
