/** Child frames (Parallel branches, Map iterations) that stop together when one of them fails. */
import type { StateBlock } from '../asl/states';
import type { QueryLanguage } from '../asl/query-language';
import { BranchAborted } from '../execution/failure';
import type { Frame } from '../execution/frame';
import { VariableScope } from '../variables/scope';

/** A controller whose signal aborts with BranchAborted, and also when the parent frame aborts. */
export function childAbort(parent: Frame): { controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.signal.reason);
  if (parent.signal.aborted) onParentAbort();
  else parent.signal.addEventListener('abort', onParentAbort, { once: true });
  return { controller, dispose: () => parent.signal.removeEventListener('abort', onParentAbort) };
}

export function abortChildren(controller: AbortController): void {
  if (!controller.signal.aborted) controller.abort(new BranchAborted());
}

export function childFrame(
  block: StateBlock,
  parent: Frame,
  inheritedLanguage: QueryLanguage,
  signal: AbortSignal,
  lastEventId: number,
  isolatedVariables: boolean,
): Frame {
  return {
    states: block.States,
    startAt: block.StartAt,
    queryLanguage: block.QueryLanguage ?? inheritedLanguage,
    vars: new VariableScope(isolatedVariables ? undefined : parent.vars),
    lastEventId,
    signal,
    settled: parent.settled || parent.childrenSettled,
  };
}
