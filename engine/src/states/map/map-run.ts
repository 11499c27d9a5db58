/**
 * A Distributed Map run by the host as a map run of child executions (integration/map-runs.ts), with the parent's
 * history AWS records: MapStateStarted (map.ts records it), MapRunStarted (mapRunArn), then MapRunSucceeded and MapStateSucceeded, or
 * MapRunFailed (error, cause) and MapStateFailed, and no iteration events (LocalStack's AWS-validated
 * test_map_state_legacy_config_distributed). Without a host the Map runs its iterations inline (map.ts).
 *
 * A redriven parent whose map run failed (or was aborted with it) redrives that map run rather than starting a new
 * one, as AWS does ("The parent workflow redrives all the unsuccessful states, including a failed Map Run",
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html): the record's
 * MapRunStarted is kept and MapRunRedriven (mapRunArn, redriveCount: this map run's redrives so far, this one
 * included) follows the ExecutionRedriven, then MapRunSucceeded or MapRunFailed as the redriven run ends. AWS
 * documents the event and its details, not its predecessor: following the ExecutionRedriven is our choice. A map
 * run redriven 1,000 times is not redriven again: the Map fails with States.Runtime, and no MapRunRedriven ("the
 * hard limit of 1000 redrives of a given Map Run",
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
 */
import { randomUUID } from 'node:crypto';
import type { ItemProcessor, MapState } from '../../asl/states';
import { exitState, nextOf } from '../../execution/exit-state';
import { Failure } from '../../execution/failure';
import { eventDetails, type HistoryEvent } from '../../execution/history';
import type { Run } from '../../execution/run';
import type { Frame } from '../../execution/frame';
import type { StateRun, Transition } from '../../execution/state-run';
import type { MapRunHost, MapRunOutcome } from '../../integration/map-runs';
import { finishOutput } from '../../io/finish-output';

/** "You haven't exceeded the hard limit of 1000 redrives of a given Map Run." */
export const MAX_MAP_RUN_REDRIVES = 1000;

export interface MapRunSettings {
  processor: ItemProcessor;
  inputs: unknown[];
  itemCount: number;
  maxConcurrency?: number;
  toleratedCount?: number;
  toleratedPercentage?: number;
}

export async function runMapRun(
  state: StateRun<MapState>,
  host: MapRunHost,
  settings: MapRunSettings,
): Promise<Transition> {
  const { run, frame, def } = state;
  const { options } = run;
  // A generated label is kept in the recorded ARN: a resumed parent asks for the same map run.
  const label = def.Label ?? randomUUID();
  const fresh = `arn:aws:states:${run.host.region}:${run.host.accountId}:mapRun:${options.stateMachineName}/${label}:${randomUUID()}`;
  const started = run.emit(frame, 'MapRunStarted', { mapRunArn: fresh });
  const mapRunArn = eventDetails(started).mapRunArn as string;
  const redriveCount = redriveOf(run, frame, started, mapRunArn);
  const overLimit = redriveCount !== undefined && redriveCount > MAX_MAP_RUN_REDRIVES;
  // Past the limit the map run is not redriven, so no MapRunRedriven: the Map fails.
  if (redriveCount !== undefined && !overLimit) run.emit(frame, 'MapRunRedriven', { mapRunArn, redriveCount });
  const { StartAt, States } = settings.processor;
  // The host answers as soon as the signal aborts (the parent was stopped): emit then throws the abort's reason.
  const outcome: MapRunOutcome = overLimit
    ? {
        ok: false,
        error: 'States.Runtime',
        cause: `The Map Run ${mapRunArn} exceeded the limit of ${MAX_MAP_RUN_REDRIVES} redrives`,
      }
    : await host.run({
        mapRunArn,
        executionArn: run.info.executionArn,
        stateMachineArn: options.stateMachineArn,
        stateMachineName: options.stateMachineName,
        ...(options.roleArn ? { roleArn: options.roleArn } : {}),
        label: mapRunArn.slice(mapRunArn.indexOf('/') + 1, mapRunArn.lastIndexOf(':')),
        definition: { QueryLanguage: settings.processor.QueryLanguage ?? state.queryLanguage, StartAt, States },
        executionType: settings.processor.ProcessorConfig?.ExecutionType ?? 'STANDARD',
        inputs: settings.inputs,
        itemCount: settings.itemCount,
        maxConcurrency: settings.maxConcurrency ?? 0,
        toleratedFailureCount: settings.toleratedCount ?? 0,
        toleratedFailurePercentage: settings.toleratedPercentage ?? 0,
        ...(redriveCount !== undefined ? { redrive: true } : {}),
        signal: frame.signal,
      });
  if (!outcome.ok) {
    run.emit(frame, 'MapRunFailed', {
      error: outcome.error,
      ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
    });
    run.emit(frame, 'MapStateFailed');
    throw new Failure(outcome.error, outcome.cause);
  }
  run.emit(frame, 'MapRunSucceeded');
  // MapStateSucceeded and MapStateExited both follow MapRunSucceeded (AWS: 6←5, 7←5).
  run.emit(null, 'MapStateSucceeded', undefined, frame.lastEventId);
  const { output, assigned } = await finishOutput(state, outcome.results, {
    selectResult: true,
    hasResult: true,
    jsonataDefault: outcome.results,
  });
  return exitState(state, output, assigned, nextOf(def));
}

/**
 * In a redriven parent whose MapRunStarted came from the record: takes what the map run did in the attempts before
 * (MapRunFailed, then per earlier redrive MapRunRedriven and maybe MapRunFailed again) and, when the map run ended
 * in an attempt that a redrive ended, answers the count of the redrive now starting. Undefined otherwise (a new map
 * run, or the resume of the attempt under way, which the host carries on).
 */
function redriveOf(run: Run, frame: Frame, started: HistoryEvent, mapRunArn: string): number | undefined {
  if (!run.redriven || !run.isRecorded(started)) return undefined;
  let earlier = 0;
  for (;;) {
    if (run.followedInRecord(frame, 'MapRunFailed')) run.emit(frame, 'MapRunFailed');
    // A redrive's MapRunRedriven follows its ExecutionRedriven, which fromRecord looks up.
    if (!run.fromRecord(frame, 'MapRunRedriven', { mapRunArn })) break;
    run.emit(frame, 'MapRunRedriven', { mapRunArn });
    earlier++;
  }
  // A map run that succeeded is not redriven (the Map failed after it: it runs again, with a new map run).
  if (run.followedInRecord(frame, 'MapRunSucceeded')) return undefined;
  return run.inEndedAttempt(frame) ? earlier + 1 : undefined;
}
