/** What a host gives the engine: its clock, its integrations and the hooks that persist histories. */
import type { ExecutionInfo } from '../execution/execution';
import type { HistoryEvent } from '../execution/history';
import type { ActivityHost } from '../integration/activities';
import type { Integrations } from '../integration/integrations';
import type { MapRunHost } from '../integration/map-runs';
import type { Clock } from '../time/clock';

export interface EngineOptions {
  clock: Clock;
  integrations: Integrations;
  /** Activity tasks' workers; without it an activity task fails the execution as an unknown activity does. */
  activities?: ActivityHost;
  /** Distributed Maps' map runs of child executions; without it their iterations run inline. */
  mapRuns?: MapRunHost;
  /** Default us-east-1. */
  region?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** Called synchronously for every event, in order (persistence hook). */
  onEvent?(executionArn: string, event: HistoryEvent): void;
  onClose?(execution: ExecutionInfo): void;
}
