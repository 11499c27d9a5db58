/**
 * Where a plagiarism workflow is, derived from the incident record alone (what the REST API returns), for
 * when the execution history cannot be read (in AWS the pages have no Step Functions access). The states
 * are found by the workflow's shape, not by their names:
 *   StartAt ─Next…→ the callback task (…waitForTaskToken) ─Next…→ Choice
 *   Choice: the branch that loops back into the chain is "FAILED, schedule again"; the other is "PASSED"
 *   the callback task's Catch (States.Timeout) is "not sat"; a Catch on a looped state is "retries exceeded".
 * Each exam (oldest first) replays one pass of that loop. The result is approximate by nature (the
 * record lags the workflow by a moment); locally the admin page colours from the real history instead.
 */
import type { PublicExam, PublicIncident } from '../../functions/shared/incident';
import type { ExecutionProgress, StateStatus } from '../shared/graph/state-status';

/** An incident and its exams as the read APIs answer them (GET /incidents, GET /incidents/{IncidentId}). */
export type IncidentRecord = PublicIncident;
export type IncidentExam = PublicExam;

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Choices?: { Next: string }[];
  Default?: string;
  Catch?: { ErrorEquals: string[]; Next: string }[];
}

interface Shape {
  /** StartAt up to and including the callback task. */
  toCallback: string[];
  callback: string;
  /** After the callback task up to and including the Choice. */
  toChoice: string[];
  /** Index in toCallback where a failed exam loops back to. */
  loopStart: number;
  passed: string[];
  notSat: string[];
  /** The looped state whose Catch leads to the retries-exceeded path, and that path. */
  retriesOwner?: string;
  retriesExceeded: string[];
}

/**
 * A Choice that only guards the way on (an input check): every branch but one ends in a Fail state. The chain
 * goes through it; a Choice with two ways on is a decision and ends the chain.
 */
function guardedWayOn(states: Record<string, State>, choice: State): string | undefined {
  const targets = [...(choice.Choices ?? []).map((c) => c.Next), ...(choice.Default ? [choice.Default] : [])];
  const wayOn = targets.filter((t) => states[t]?.Type !== 'Fail');
  return wayOn.length === 1 ? wayOn[0] : undefined;
}

/** Follows Next from `from` (inclusive) while it is linear; stops after a terminal, a deciding Choice or `until`. */
function chain(states: Record<string, State>, from: string, until?: string): string[] {
  const out: string[] = [];
  let name: string | undefined = from;
  while (name && states[name] && !out.includes(name)) {
    out.push(name);
    const state: State = states[name]!;
    if (name === until) break;
    if (state.Type === 'Choice') {
      name = guardedWayOn(states, state);
      if (!name) break;
    } else {
      name = state.Next;
    }
  }
  return out;
}

function catcherFor(state: State, error: string): string | undefined {
  return (state.Catch ?? []).find((c) => c.ErrorEquals.includes(error))?.Next
    ?? (state.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'))?.Next;
}

/** The workflow's shape, or undefined when the definition is not a callback loop like the plagiarism one. */
export function plagiarismShape(definition: { StartAt: string; States: Record<string, State> }): Shape | undefined {
  const states = definition.States;
  const callback = Object.keys(states).find((n) => states[n]!.Resource?.endsWith('.waitForTaskToken'));
  if (!callback) return undefined;
  const toCallback = chain(states, definition.StartAt, callback);
  if (toCallback[toCallback.length - 1] !== callback || !states[callback]!.Next) return undefined;
  const toChoice = chain(states, states[callback]!.Next!);
  const choice = states[toChoice[toChoice.length - 1]!]!;
  if (choice.Type !== 'Choice') return undefined;
  const targets = [...(choice.Choices ?? []).map((c) => c.Next), ...(choice.Default ? [choice.Default] : [])];
  const loopTarget = targets.find((t) => toCallback.includes(t));
  const passedTarget = targets.find((t) => !toCallback.includes(t) && states[t]?.Type !== 'Fail');
  if (!loopTarget || !passedTarget) return undefined;
  const loopStart = toCallback.indexOf(loopTarget);
  const notSatTarget = catcherFor(states[callback]!, 'States.Timeout');
  const retriesOwner = toCallback.slice(loopStart, -1).find((n) => catcherFor(states[n]!, 'StudentExceededAllowableExamRetries'));
  return {
    toCallback, callback, toChoice, loopStart,
    passed: chain(states, passedTarget),
    notSat: notSatTarget ? chain(states, notSatTarget) : [],
    retriesOwner,
    retriesExceeded: retriesOwner ? chain(states, catcherFor(states[retriesOwner]!, 'StudentExceededAllowableExamRetries')!) : [],
  };
}

export function progressFromIncident(definition: { StartAt: string; States: Record<string, State> }, incident: IncidentRecord): ExecutionProgress | undefined {
  const shape = plagiarismShape(definition);
  if (!shape) return undefined;
  const states = new Map<string, StateStatus>();
  const mark = (names: readonly string[], status: StateStatus): void => names.forEach((n) => states.set(n, status));
  const finished = (path: readonly string[]): ExecutionProgress => {
    mark(path, 'succeeded');
    return { execution: 'SUCCEEDED', states };
  };
  const beforeCallback = shape.toCallback.slice(0, -1);
  const exams = [...incident.Exams].reverse(); // the record keeps the newest first
  if (exams.length === 0) {
    // Registered, the first exam not yet scheduled (or being scheduled).
    mark(beforeCallback.slice(0, Math.max(1, shape.loopStart)), 'succeeded');
    states.set(shape.toCallback[Math.max(1, shape.loopStart)] ?? shape.callback, 'running');
    return { execution: 'RUNNING', states };
  }
  for (const [i, exam] of exams.entries()) {
    mark(beforeCallback, 'succeeded');
    if (exam.Result === null) {
      states.set(shape.callback, 'running');
      return { execution: 'RUNNING', states };
    }
    if (exam.Result === 'NOT_SAT') {
      states.set(shape.callback, 'caught');
      return finished(shape.notSat);
    }
    states.set(shape.callback, 'succeeded');
    mark(shape.toChoice, 'succeeded');
    if (exam.Result === 'PASSED') return finished(shape.passed);
    const last = i === exams.length - 1;
    if (last && incident.Status === 'ADMIN_ACTION_REQUIRED' && shape.retriesOwner) {
      mark(shape.toCallback.slice(shape.loopStart, shape.toCallback.indexOf(shape.retriesOwner)), 'succeeded');
      states.set(shape.retriesOwner, 'caught');
      return finished(shape.retriesExceeded);
    }
    if (last) {
      // Failed, the next exam is being scheduled.
      states.set(shape.toCallback[shape.loopStart]!, 'running');
      return { execution: 'RUNNING', states };
    }
  }
  return { execution: 'RUNNING', states };
}
