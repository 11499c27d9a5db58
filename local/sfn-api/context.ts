/** What the API operations work on (built by server.ts). */
import type { Clock, Engine } from '@serverless-workflows/sfn-engine';
import type { ArnScope } from './arns';
import type { Executions } from './executions';
import type { MockConfigSource } from './mock-config/mock-config';
import type { StateMachines } from './state-machines';

export interface SfnApiContext {
  scope: ArnScope;
  clock: Clock;
  engine: Engine;
  stateMachines: StateMachines;
  executions: Executions;
  /** set when SFN_MOCK_CONFIG names a mock configuration file */
  mockConfig?: MockConfigSource;
}

/** An operation: the validated request body in, the response body out. */
export type OperationHandler = (context: SfnApiContext, request: Record<string, unknown>) => unknown | Promise<unknown>;
