/**
 * Reads state machines and executions from the local Step Functions server's dashboard endpoints
 * (`npm start`, APP_CONFIG.sfnDashboardBase; local/sfn-api/http/local-endpoints.ts), which the API port serves on
 * the pages' own origin (local/apigw/local-proxy.ts): the local services answer no other origin. They answer in the
 * standard API's shapes (epoch seconds, history events as GetExecutionHistory gives them) but also cover
 * EXPRESS executions, which the standard API neither lists nor gives histories for. Moving the clock is a POST
 * of JSON (a state-changing local call must be JSON).
 */
import type { HistoryEventLike } from './graph/state-status';

export interface StateMachineSummary {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  /** JSON text, as DescribeStateMachine gives it. */
  definition: string;
}

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number; // epoch seconds
  stopDate?: number;
  /** The X-Ray trace the execution's Lambda tasks joined (state machines with tracing enabled). */
  traceId?: string;
}

export interface HistoryEvent extends HistoryEventLike {
  timestamp: number; // epoch seconds
  [details: string]: unknown;
}

export interface ExecutionDetail {
  execution: ExecutionSummary;
  /** The definition the execution ran (JSON text). */
  definition: string;
  events: HistoryEvent[];
}

export class SfnLocalError extends Error {
  override name = 'SfnLocalError';
}

export class SfnLocalClient {
  constructor(private readonly base: string) {}

  private async get<T>(path: string, init?: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, init);
    } catch {
      throw new SfnLocalError(
        `The local Step Functions server at ${this.base} could not be reached. Is npm start running?`,
      );
    }
    const body = (await response.json().catch(() => undefined)) as (T & { message?: string }) | undefined;
    if (!response.ok || body === undefined) {
      throw new SfnLocalError(body?.message ?? `The local Step Functions server answered ${response.status}.`);
    }
    return body;
  }

  async stateMachines(): Promise<StateMachineSummary[]> {
    return (await this.get<{ stateMachines: StateMachineSummary[] }>('/_local/state-machines')).stateMachines;
  }

  /** Newest first, every type of state machine. */
  async executions(stateMachineArn: string): Promise<ExecutionSummary[]> {
    return (
      await this.get<{ executions: ExecutionSummary[] }>(
        `/_local/executions?${new URLSearchParams({ stateMachineArn })}`,
      )
    ).executions;
  }

  /** The execution, the definition it ran and every event (oldest first, with inputs and outputs). */
  execution(executionArn: string): Promise<ExecutionDetail> {
    return this.get<ExecutionDetail>(`/_local/executions/${encodeURIComponent(executionArn)}`);
  }

  async advanceClock(seconds: number): Promise<void> {
    await this.get<unknown>('/_local/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
  }
}
