/** What the API operations work on (built by server.ts). */
import type { Clock, Engine } from '@serverless-workflows/sfn-engine';
import type { Activities } from './activities';
import type { ArnScope } from './arns';
import type { Executions } from './executions';
import type { MapRuns } from './map-runs';
import type { MockConfigSource } from './mock-config/mock-config';
import type { StateMachineAliases } from './state-machine-aliases';
import type { StateMachineVersions } from './state-machine-versions';
import type { StateMachines } from './state-machines';

export interface SfnApiContext {
  scope: ArnScope;
  clock: Clock;
  engine: Engine;
  stateMachines: StateMachines;
  executions: Executions;
  versions: StateMachineVersions;
  aliases: StateMachineAliases;
  activities: Activities;
  mapRuns: MapRuns;
  /** an alias's choice between its two versions: a number in [0, 1) (Math.random unless a test injects one) */
  random: () => number;
  /** set when SFN_MOCK_CONFIG names a mock configuration file */
  mockConfig?: MockConfigSource;
  /** Step Functions Local mode (sfn-local-mode.ts): its names in history events */
  stepFunctionsLocalMode?: boolean;
}

/**
 * An operation: the validated request body in, the response body out. `signal` aborts when the client hangs up
 * (GetActivityTask's long poll stops waiting).
 */
export type OperationHandler = (
  context: SfnApiContext,
  request: Record<string, unknown>,
  signal: AbortSignal,
) => unknown | Promise<unknown>;
