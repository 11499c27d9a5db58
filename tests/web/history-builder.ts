/** Builds execution histories shaped like GetExecutionHistory's (ids and previousEventId linked as AWS does). */
import type { HistoryEvent } from '../../web/shared/sfn-local';

export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];

  constructor(input: unknown = {}) {
    this.add('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(input) } }, 0);
  }

  add(type: string, details: Record<string, unknown> = {}, previousEventId = this.events.length): this {
    const id = this.events.length + 1;
    this.events.push({ id, previousEventId, type, timestamp: 1_700_000_000 + id / 10, ...details });
    return this;
  }

  enter(name: string, type = 'Task'): this {
    return this.add(
      `${type}StateEntered`,
      { stateEnteredEventDetails: { name, input: '{}' } },
      this.events.length === 1 ? 0 : this.events.length,
    );
  }

  exit(name: string, type = 'Task', output: unknown = {}): this {
    return this.add(`${type}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(output) } });
  }

  attempt(outcome: 'TaskSucceeded' | 'TaskFailed' | 'TaskTimedOut' | 'submitted'): this {
    this.add('TaskScheduled', {
      taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{}' },
    });
    this.add('TaskStarted');
    if (outcome === 'submitted') return this.add('TaskSubmitted');
    return this.add(
      outcome,
      outcome === 'TaskSucceeded'
        ? { taskSucceededEventDetails: { output: '{}' } }
        : { taskFailedEventDetails: { error: 'Boom' } },
    );
  }

  task(name: string): this {
    return this.enter(name).attempt('TaskSucceeded').exit(name);
  }
}
