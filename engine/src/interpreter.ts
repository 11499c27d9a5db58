/**
 * The interpreter's spine: a frame runs its states one after another; a state is entered, evaluated by its type's
 * handler and exited, with AWS's events. Evaluation errors get AWS's prefix here, and in JSONata states an
 * EvaluationFailed event, before they travel on as a Failure.
 */
import { isUncatchable, StatesError, statePrefix } from './errors';
import type { EvalEnv } from './eval-env';
import { BranchAborted, ExecutionClosed, Failure, FieldError } from './failure';
import { boundedJson, setOwn, toJson } from './json';
import { Run, type Frame, type QueryLanguage, type StateDefinition } from './run';
import type { StatesBinding } from './jsonata/evaluate';
import { formatTimestamp } from './timestamp';
import type { HistoryEvent } from './types';

/** A state being executed: everything its handler needs. */
export interface StateRun {
  run: Run;
  frame: Frame;
  name: string;
  def: StateDefinition;
  queryLanguage: QueryLanguage;
  /** The raw state input. */
  input: unknown;
  entered: HistoryEvent;
  /** Retries done so far ($$.State.RetryCount). */
  retryCount: number;
}

/** Where a state goes: `next` undefined ends the frame with `output`. */
export interface Transition {
  output: unknown;
  next?: string;
}

export type StateHandler = (state: StateRun) => Promise<Transition> | Transition;

/** Extra members of the context object that only some fields see. */
export interface ContextExtras {
  token?: string;
  mapItem?: Record<string, unknown>;
}

export function contextObject(state: StateRun, extras?: ContextExtras): Record<string, unknown> {
  const context: Record<string, unknown> = {
    Execution: state.run.contextExecution,
    State: { EnteredTime: formatTimestamp(state.entered.timestamp), Name: state.name, RetryCount: state.retryCount },
    StateMachine: state.run.contextStateMachine,
  };
  if (extras?.token !== undefined) context.Task = { Token: extras.token };
  if (extras?.mapItem) context.Map = { Item: extras.mapItem };
  return context;
}

/** The JSONPath environment with `$` = data. */
export function pathEnv(state: StateRun, data: unknown, extras?: ContextExtras): EvalEnv {
  let context: Record<string, unknown> | undefined;
  return {
    data,
    context: () => (context ??= contextObject(state, extras)),
    vars: state.frame.vars,
  };
}

/** `$states` for a JSONata field. */
export function statesBinding(state: StateRun, extras?: ContextExtras & { result?: unknown; errorOutput?: unknown }): StatesBinding {
  const binding: StatesBinding = { input: state.input, context: contextObject(state, extras) };
  if (extras && 'result' in extras) binding.result = extras.result;
  if (extras && 'errorOutput' in extras) binding.errorOutput = extras.errorOutput;
  return binding;
}

/** Runs a frame from its StartAt to an End (or a Succeed state); returns the frame's output. */
export async function runFrame(run: Run, frame: Frame, input: unknown): Promise<unknown> {
  let name = frame.startAt;
  let data = input;
  for (;;) {
    const transition = await runState(run, frame, name, data);
    if (transition.next === undefined) return transition.output;
    name = transition.next;
    data = transition.output;
  }
}

let handlers: Record<string, StateHandler> | undefined;

/** The handlers are registered by states/index.ts (kept apart to avoid an import cycle). */
export function registerHandlers(table: Record<string, StateHandler>): void {
  handlers = table;
}

async function runState(run: Run, frame: Frame, name: string, input: unknown): Promise<Transition> {
  const def = frame.states[name];
  const entered = run.emit(frame, `${def.Type}StateEntered`, {
    name,
    input: toJson(input),
    inputDetails: { truncated: false },
  });
  const state: StateRun = {
    run,
    frame,
    name,
    def,
    queryLanguage: def.QueryLanguage ?? frame.queryLanguage,
    input,
    entered,
    retryCount: 0,
  };
  try {
    return await handlers![def.Type](state);
  } catch (error) {
    if (error instanceof BranchAborted) {
      run.emitAborted(frame, `${def.Type}StateAborted`);
      throw error;
    }
    throw asFailure(state, error);
  }
}

/**
 * Turns anything a state threw into a Failure: evaluation errors get AWS's prefix (and, in JSONata states, an
 * EvaluationFailed event); Failures and a closed execution's unwinding pass through.
 */
export function asFailure(state: StateRun, error: unknown): Failure | ExecutionClosed {
  if (error instanceof Failure || error instanceof ExecutionClosed) return error;
  if (error instanceof BranchAborted) throw error;
  if (error instanceof StatesError) {
    const cause = statePrefix(state.name, state.entered.id) + (error.cause ?? '');
    if (state.queryLanguage === 'JSONata' && error.error === 'States.QueryEvaluationError' && !state.run.closed) {
      const details: Record<string, unknown> = { error: error.error, cause, state: state.name };
      if (error instanceof FieldError) details.location = error.location;
      state.run.emit(state.frame, 'EvaluationFailed', details);
    }
    return new Failure(error.error, cause);
  }
  throw error;
}

/** Whether a Failure may be retried or caught at all. */
export function isCatchable(failure: Failure): boolean {
  return !isUncatchable(failure.error);
}

/**
 * Leaves a state: checks the output size, commits the variables the state assigned and emits *StateExited.
 * While replaying, output and variables come from the recorded event (so random values stay what they were).
 */
export function exitState(
  state: StateRun,
  output: unknown,
  assigned: Record<string, unknown> | undefined,
  next: string | undefined,
): Transition {
  const { run, frame, name } = state;
  const type = `${state.def.Type}StateExited`;
  if (run.replaying) {
    const details = Run.details(run.emit(frame, type));
    const recordedOutput = typeof details.output === 'string' ? JSON.parse(details.output) : output;
    const recordedVars = details.assignedVariables as Record<string, string> | undefined;
    if (recordedVars) for (const [key, text] of Object.entries(recordedVars)) frame.vars.set(key, JSON.parse(text));
    return { output: recordedOutput, next };
  }
  const text = boundedJson(output);
  if (text === undefined) {
    throw new Failure(
      'States.DataLimitExceeded',
      `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
  const details: Record<string, unknown> = { name, output: text, outputDetails: { truncated: false } };
  if (assigned) {
    const texts: Record<string, string> = {};
    for (const [key, value] of Object.entries(assigned)) {
      frame.vars.set(key, value);
      setOwn(texts, key, toJson(value));
    }
    details.assignedVariables = texts;
    details.assignedVariablesDetails = { truncated: false };
  }
  run.emit(frame, type, details);
  return { output, next };
}

/** Next state name, or undefined when the state ends its frame. */
export function nextOf(def: StateDefinition): string | undefined {
  return def.End === true ? undefined : def.Next;
}
