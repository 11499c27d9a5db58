/**
 * What a refused request must leave as it was, read from the services themselves rather than through the API under
 * test: the incident's item in DynamoDB (task tokens and UpdatedAt included, which the read APIs leave out), its
 * plagiarism executions and their histories on the Step Functions API (@aws-sdk/client-sfn), and the emails the
 * SES capture holds for the student.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  type ExecutionListItem,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { eventually } from '../../support/eventually';
import { emailsTo } from './outbox';
import type { SystemCloud } from './system-cloud';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export class IncidentObserver {
  readonly sfn: SFNClient;
  private readonly dynamodb: DynamoDBClient;

  constructor(private readonly system: SystemCloud) {
    this.sfn = new SFNClient({ ...LOCAL, endpoint: system.sfnUrl });
    this.dynamodb = new DynamoDBClient({ ...LOCAL, endpoint: system.cloud.urls.dynamodb });
  }

  destroy(): void {
    this.sfn.destroy();
    this.dynamodb.destroy();
  }

  /** Every plagiarism execution named `name` (ListExecutions, every page). */
  async executionsNamed(name: string): Promise<ExecutionListItem[]> {
    const stateMachineArn = this.system.cloud.stateMachines.PlagiarismStateMachine;
    const found: ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken, maxResults: 1000 }));
      found.push(...(page.executions ?? []).filter((execution) => execution.name === name));
      nextToken = page.nextToken;
    } while (nextToken);
    return found;
  }

  /** The status of the execution named `name` once it has ended. */
  executionEnded(name: string): Promise<string> {
    return eventually(`the execution ${name} to end`, async () => {
      const [execution] = await this.executionsNamed(name);
      return execution && execution.status !== 'RUNNING' ? execution.status : undefined;
    });
  }

  async historyOf(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /** The incident's item as stored. */
  async storedIncident(incidentId: string) {
    const { Item } = await this.dynamodb.send(
      new GetItemCommand({ TableName: 'IncidentsTable', Key: { IncidentId: { S: incidentId } }, ConsistentRead: true }),
    );
    return Item;
  }

  /**
   * The incident's item, its executions with their histories, and every email to `studentEmail`: compare two with
   * toEqual. Taken once every execution is at rest (ended, or waiting for its task token after the notification
   * task answered): before that the workflow is still writing (SendExamNotification records the email on the item
   * and then answers, which the history shows as TaskSubmitted), and two snapshots would differ by that alone.
   */
  async state(incidentId: string, studentEmail: string) {
    const { executions, histories } = await eventually(
      `the executions of incident ${incidentId} to be at rest`,
      async () => {
        const executions = await this.executionsNamed(incidentId);
        const histories = await Promise.all(executions.map((execution) => this.historyOf(execution.executionArn!)));
        // The list is read before the histories: an execution that ended in between is listed RUNNING with an
        // ended history, so both must say the same.
        const consistent = executions.every(
          (execution, index) => (execution.status === 'RUNNING') === !ended(histories[index]),
        );
        return consistent && histories.every(atRest) ? { executions, histories } : undefined;
      },
    );
    return {
      item: await this.storedIncident(incidentId),
      executions,
      histories,
      emails: await emailsTo(this.system.sesUrl, studentEmail),
    };
  }
}

/** An execution whose history has its last event: ExecutionSucceeded, Failed, TimedOut or Aborted. */
function ended(events: HistoryEvent[]): boolean {
  const last = events.at(-1)?.type ?? '';
  return last.startsWith('Execution') && last !== 'ExecutionStarted';
}

/** An execution that will write nothing more by itself: it has ended, or it waits for a task token. */
function atRest(events: HistoryEvent[]): boolean {
  return events.at(-1)?.type === 'TaskSubmitted' || ended(events);
}

/** The SendTaskSuccess calls a plagiarism execution took: the TaskSucceeded events of its waitForTaskToken task. */
export const callbacksTaken = (events: HistoryEvent[]): HistoryEvent[] =>
  events.filter(
    (event) =>
      event.type === 'TaskSucceeded' && event.taskSucceededEventDetails?.resource === 'invoke.waitForTaskToken',
  );
