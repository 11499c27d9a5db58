/**
 * Reads executions from the local Step Functions API server (`npm start`, APP_CONFIG.sfnDashboardBase).
 * STANDARD executions go through the standard API (AWS JSON 1.0: POST / with X-Amz-Target); EXPRESS ones,
 * which that API does not list or give histories for, through the server's `/_local/` dashboard endpoints.
 * A fetch per operation rather than @aws-sdk/client-sfn: the SDK would need SigV4 credentials in the page
 * and some 150 KB for unsigned calls to a server on this machine.
 */
import type { HistoryEventLike } from './graph/state-status';

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number; // epoch seconds
  stopDate?: number;
}

export interface HistoryEvent extends HistoryEventLike {
  timestamp: number; // epoch seconds
  [details: string]: unknown;
}

export class SfnLocalError extends Error {
  override name = 'SfnLocalError';
}

export class SfnLocalClient {
  constructor(private readonly base: string) {}

  private async json<T>(url: string, init?: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new SfnLocalError(`The local Step Functions server at ${this.base} could not be reached. Is npm start running?`);
    }
    const body = (await response.json().catch(() => undefined)) as (T & { message?: string; __type?: string }) | undefined;
    if (!response.ok || body === undefined) {
      throw new SfnLocalError(body?.message ?? `The local Step Functions server answered ${response.status}.`);
    }
    return body;
  }

  private call<T>(operation: string, input: object): Promise<T> {
    return this.json<T>(`${this.base}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` },
      body: JSON.stringify(input),
    });
  }

  async listStateMachines(): Promise<StateMachineListItem[]> {
    const items: StateMachineListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call<{ stateMachines: StateMachineListItem[]; nextToken?: string }>('ListStateMachines', { nextToken });
      items.push(...page.stateMachines);
      nextToken = page.nextToken;
    } while (nextToken);
    return items;
  }

  async definition(stateMachineArn: string): Promise<unknown> {
    const described = await this.call<{ definition: string }>('DescribeStateMachine', { stateMachineArn });
    return JSON.parse(described.definition);
  }

  /** Most recent first, at most `limit` (every type of state machine). */
  async listExecutions(machine: StateMachineListItem, limit = 50): Promise<ExecutionListItem[]> {
    if (machine.type === 'EXPRESS') {
      const url = `${this.base}/_local/executions?${new URLSearchParams({ stateMachineArn: machine.stateMachineArn, maxResults: String(limit) })}`;
      return (await this.json<{ executions: ExecutionListItem[] }>(url)).executions;
    }
    const page = await this.call<{ executions: ExecutionListItem[] }>('ListExecutions', { stateMachineArn: machine.stateMachineArn, maxResults: limit });
    return page.executions;
  }

  /** Every event of an execution, oldest first, with inputs and outputs. */
  async history(executionArn: string): Promise<HistoryEvent[]> {
    if (executionArn.includes(':express:')) {
      const url = `${this.base}/_local/history?${new URLSearchParams({ executionArn })}`;
      return (await this.json<{ events: HistoryEvent[] }>(url)).events;
    }
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', { executionArn, maxResults: 1000, nextToken });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  async advanceClock(seconds: number): Promise<void> {
    await this.json<unknown>(`${this.base}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
  }
}
