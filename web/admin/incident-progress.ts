/**
 * Where a plagiarism workflow is, derived from the incident record alone (what the REST API returns), for
 * when the execution history cannot be read (in AWS the pages have no Step Functions access). The states
 * are found by the workflow's shape, not by their names:
 *   StartAt ─Next…→ the callback task (…waitForTaskToken) ─Next…→ Choice
 *   Choice: the branch that loops back into the chain is "FAILED, schedule again"; the other is "PASSED"
 *   the callback task's Catch (States.Timeout) is "not sat"; a Catch on a looped state is "retries exceeded";
 *   its catch-all (States.ALL) leads, through a Choice, to the Fail state of "the workflow failed".
 * Each exam (oldest first) replays one pass of that loop. The result is approximate by nature (the
 * record lags the workflow by a moment); locally the admin page colours from the real history instead.
 */
import type { PublicExam, PublicIncident } from '../../functions/shared/plagiarism/incident';
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
  /** The callback task's catch-all path (administrative action) up to the Fail state it ends in, if any. */
  workflowFailed: string[];
}

const choiceTargets = (choice: State): string[] => [
  ...(choice.Choices ?? []).map((c) => c.Next),
  ...(choice.Default ? [choice.Default] : []),
];

/**
 * A Choice that only guards the way on (an input check): every branch but one ends in a Fail state. The chain
 * goes through it; a Choice with two ways on is a decision and ends the chain.
 */
function guardedWayOn(states: Record<string, State>, choice: State): string | undefined {
  const wayOn = choiceTargets(choice).filter((t) => states[t]?.Type !== 'Fail');
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
  return (
    (state.Catch ?? []).find((c) => c.ErrorEquals.includes(error))?.Next ??
    (state.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'))?.Next
  );
}

/** The chain from `from`, but taking the Fail branch of its first guarding Choice: where a failure that was reported ends. */
function chainToFail(states: Record<string, State>, from: string): string[] {
  const path = chain(states, from);
  const choiceAt = path.findIndex((n) => states[n]!.Type === 'Choice');
  const failTarget =
    choiceAt < 0 ? undefined : choiceTargets(states[path[choiceAt]!]!).find((t) => states[t]?.Type === 'Fail');
  return failTarget ? [...path.slice(0, choiceAt + 1), failTarget] : [];
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
  const targets = choiceTargets(choice);
  const loopTarget = targets.find((t) => toCallback.includes(t));
  const passedTarget = targets.find((t) => !toCallback.includes(t) && states[t]?.Type !== 'Fail');
  if (!loopTarget || !passedTarget) return undefined;
  const loopStart = toCallback.indexOf(loopTarget);
  const notSatTarget = catcherFor(states[callback]!, 'States.Timeout');
  const catchAll = catcherFor(states[callback]!, 'States.ALL');
  const retriesOwner = toCallback
    .slice(loopStart, -1)
    .find((n) => catcherFor(states[n]!, 'StudentExceededAllowableExamRetries'));
  return {
    toCallback,
    callback,
    toChoice,
    loopStart,
    passed: chain(states, passedTarget),
    notSat: notSatTarget ? chain(states, notSatTarget) : [],
    retriesOwner,
    retriesExceeded: retriesOwner
      ? chain(states, catcherFor(states[retriesOwner]!, 'StudentExceededAllowableExamRetries')!)
      : [],
    workflowFailed: catchAll ? chainToFail(states, catchAll) : [],
  };
}

export function progressFromIncident(
  definition: { StartAt: string; States: Record<string, State> },
  incident: IncidentRecord,
): ExecutionProgress | undefined {
  const shape = plagiarismShape(definition);
  if (!shape) return undefined;
  const states = new Map<string, StateStatus>();
  const mark = (names: readonly string[], status: StateStatus): void => {
    for (const n of names) states.set(n, status);
  };
  const finished = (path: readonly string[]): ExecutionProgress => {
    mark(path, 'succeeded');
    return { execution: 'SUCCEEDED', states };
  };
  // Administrative action where the exams cannot have led to it: the workflow failed at `state` (the record does not
  // say which state; the one that would run next is the likeliest) and ended in its Fail state after telling the staff.
  const failedAt = (state: string): ExecutionProgress | undefined => {
    if (incident.Status !== 'ADMIN_ACTION_REQUIRED' || shape.workflowFailed.length === 0) return undefined;
    states.set(state, 'caught');
    mark(shape.workflowFailed.slice(0, -1), 'succeeded');
    states.set(shape.workflowFailed[shape.workflowFailed.length - 1]!, 'failed');
    return { execution: 'FAILED', states };
  };
  const beforeCallback = shape.toCallback.slice(0, -1);
  const exams = [...incident.Exams].reverse(); // the record keeps the newest first
  if (exams.length === 0) {
    // Registered, the first exam not yet scheduled (or being scheduled, or its scheduling failed).
    const scheduling = shape.toCallback[Math.max(1, shape.loopStart)] ?? shape.callback;
    mark(beforeCallback.slice(0, Math.max(1, shape.loopStart)), 'succeeded');
    const failed = failedAt(scheduling);
    if (failed) return failed;
    states.set(scheduling, 'running');
    return { execution: 'RUNNING', states };
  }
  for (const [i, exam] of exams.entries()) {
    mark(beforeCallback, 'succeeded');
    if (exam.Result === null) {
      const failed = failedAt(shape.callback);
      if (failed) return failed;
      states.set(shape.callback, 'running');
      return { execution: 'RUNNING', states };
    }
    if (exam.Result === 'NOT_SAT') {
      states.set(shape.callback, 'caught');
      return finished(shape.notSat);
    }
    states.set(shape.callback, 'succeeded');
    mark(shape.toChoice, 'succeeded');
    if (exam.Result === 'PASSED') return (shape.passed[0] && failedAt(shape.passed[0])) || finished(shape.passed);
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
