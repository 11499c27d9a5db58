/** Leaving a state: its output, the variables it assigned and its *StateExited event. */
import type { TransitionFields } from '../asl/common';
import { setOwn } from '../json/objects';
import { boundedJson } from '../json/payload-size';
import { toJson } from '../json/text';
import { Failure } from './failure';
import { eventDetails } from './history';
import type { AnyStateRun, Transition } from './state-run';

/**
 * Leaves a state: checks the output size, commits the variables the state assigned and emits *StateExited.
 * While replaying, output and variables come from the recorded event (so random values stay what they were).
 */
export function exitState(
  state: AnyStateRun,
  output: unknown,
  assigned: Record<string, unknown> | undefined,
  next: string | undefined,
): Transition {
  const { run, frame, name } = state;
  const type = `${state.def.Type}StateExited`;
  if (run.fromRecord(frame, type, { name })) {
    const details = eventDetails(run.emit(frame, type));
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
  // An Assign that assigns nothing records no assignedVariables (AWS: assign test_base_cases BASE_EMPTY).
  if (assigned && Object.keys(assigned).length > 0) {
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
export function nextOf(def: TransitionFields): string | undefined {
  return def.End === true ? undefined : def.Next;
}
