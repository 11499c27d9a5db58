/**
 * A Distributed Map run by the host as a map run of child executions (integration/map-runs.ts), with the parent's
 * history AWS records: MapStateStarted (map.ts records it), MapRunStarted (mapRunArn), then MapRunSucceeded and MapStateSucceeded, or
 * MapRunFailed (error, cause) and MapStateFailed, and no iteration events (LocalStack's AWS-validated
 * test_map_state_legacy_config_distributed). Without a host the Map runs its iterations inline (map.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ItemProcessor, MapState } from '../../asl/states';
import { exitState, nextOf } from '../../execution/exit-state';
import { Failure } from '../../execution/failure';
import { eventDetails } from '../../execution/history';
import type { StateRun, Transition } from '../../execution/state-run';
import type { MapRunHost } from '../../integration/map-runs';
import { finishOutput } from '../../io/finish-output';

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
  const { StartAt, States } = settings.processor;
  // The host answers as soon as the signal aborts (the parent was stopped): emit then throws the abort's reason.
  const outcome = await host.run({
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
