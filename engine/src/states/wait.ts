/**
 * Wait: Seconds / SecondsPath / Timestamp / TimestampPath (or their JSONata expressions), through the clock.
 * The deadline counts from the WaitStateEntered event, so a resumed execution keeps its original deadline.
 */
import type { WaitState } from '../asl/states';
import { StatesError } from '../errors/states-error';
import { pathEnv, statesBinding } from '../execution/bindings';
import { exitState, nextOf } from '../execution/exit-state';
import { FieldError } from '../execution/failure';
import type { StateRun, Transition } from '../execution/state-run';
import { jsonataAssign, jsonataOutput, jsonataValue } from '../io/jsonata';
import { applyInputPath, applyOutputPath, jsonPathAssign } from '../io/jsonpath';
import { expressionOf } from '../jsonata/expression';
import { readWordedPath } from '../paths/evaluate';
import { parseTimestamp } from '../time/timestamp';

const EXITED = new Set(['WaitStateExited']);
/** Seconds may be 0–99999999 (ASL). */
const MAX_SECONDS = 99_999_999;

async function jsonataDeadline(state: StateRun<WaitState>): Promise<number> {
  const { def } = state;
  const start = state.entered.timestamp;
  if (def.Seconds !== undefined) {
    const seconds = await jsonataValue(state, def.Seconds, 'Seconds');
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
      const expression = expressionOf(def.Seconds);
      throw new StatesError(
        'States.QueryEvaluationError',
        `The JSONata expression '${expression ?? def.Seconds}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${typeof seconds}' for value: ${JSON.stringify(seconds)}`,
      );
    }
    return start + seconds * 1000;
  }
  const timestamp = await jsonataValue(state, def.Timestamp, 'Timestamp');
  const at = typeof timestamp === 'string' ? parseTimestamp(timestamp) : undefined;
  if (at === undefined) {
    // EvaluationFailed names the field (AWS: location "Timestamp", test_base_scenarios test_wait_timestamp_jsonata).
    throw new FieldError(
      'States.QueryEvaluationError',
      `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof timestamp === 'string' ? timestamp : JSON.stringify(timestamp)}`,
      'Timestamp',
    );
  }
  return at;
}

/**
 * A SecondsPath that selects nothing, as AWS words it ("The SecondsPath parameter does not reference an input value:
 * $.input.waitSeconds", recorded in LocalStack's test_logs wait_seconds_path). TimestampPath's text is not recorded:
 * the same words are assumed.
 */
function notAnInputValue(field: 'SecondsPath' | 'TimestampPath', path: string): string {
  return `The ${field} parameter does not reference an input value: ${path}`;
}

function jsonPathDeadline(state: StateRun<WaitState>, effective: unknown): number {
  const { def } = state;
  const start = state.entered.timestamp;
  if (def.Seconds !== undefined) return start + (def.Seconds as number) * 1000;
  if (def.Timestamp !== undefined) return parseTimestamp(def.Timestamp) ?? start;
  const env = pathEnv(state, effective);
  if (def.SecondsPath !== undefined) {
    const seconds = readWordedPath(def.SecondsPath, env, () =>
      notAnInputValue('SecondsPath', def.SecondsPath as string),
    );
    if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
      throw new StatesError(
        'States.Runtime',
        `The SecondsPath parameter cannot be parsed as a long value: ${def.SecondsPath} == ${typeof seconds === 'string' ? seconds : JSON.stringify(seconds)}`,
      );
    }
    if (seconds < 0) {
      throw new StatesError(
        'States.Runtime',
        `The SecondsPath parameter references a negative value: ${def.SecondsPath} == ${seconds}`,
      );
    }
    return start + seconds * 1000;
  }
  const path = def.TimestampPath as string;
  const timestamp = readWordedPath(path, env, () => notAnInputValue('TimestampPath', path));
  const at = typeof timestamp === 'string' ? parseTimestamp(timestamp) : undefined;
  if (at === undefined) {
    throw new StatesError(
      'States.Runtime',
      `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${def.TimestampPath} == ${typeof timestamp === 'string' ? timestamp : JSON.stringify(timestamp)}`,
    );
  }
  return at;
}

export async function runWait(state: StateRun<WaitState>): Promise<Transition> {
  const { run, frame, def } = state;
  const jsonata = state.queryLanguage === 'JSONata';
  const effective = jsonata ? state.input : applyInputPath(state, state.input);
  if (!jsonata) run.testState?.record('afterInputPath', effective);
  const deadline = jsonata ? await jsonataDeadline(state) : jsonPathDeadline(state, effective);
  const recorded = await run.recorded(frame, EXITED);
  // TestState runs a Wait state's fields but does not wait.
  if (!recorded && !run.testState) await run.sleepUntil(deadline, frame.signal);
  if (jsonata) {
    const binding = statesBinding(state);
    const assigned = await jsonataAssign(state, def.Assign, binding);
    const output = await jsonataOutput(state, def.Output, binding, state.input);
    return exitState(state, output, assigned, nextOf(def));
  }
  const assigned = jsonPathAssign(state, def.Assign, effective);
  return exitState(state, applyOutputPath(state, effective), assigned, nextOf(def));
}
