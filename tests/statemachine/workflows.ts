/**
 * Step Functions Local-style testing of the project's two workflows: the definitions from statemachine/ with
 * their DefinitionSubstitutions resolved the way the local runtime does (docs/ARCHITECTURE.md), created in a
 * Step Functions API server that loads MockConfigFile.json, and run with `<stateMachineArn>#<TestCase>`.
 * No real service is reachable: a state the test case does not mock would fail the execution visibly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CreateStateMachineCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { roleArn, startHarness, type Harness } from '../sfn-api/harness';

const root = path.join(__dirname, '../..');
export const mockConfigPath = path.join(__dirname, 'MockConfigFile.json');

const functionArn = (logicalId: string) => `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}`;

/** DefinitionSubstitutions as the local runtime resolves them: function ARNs by logical id, table names = logical ids. */
export const substitutions: Record<string, string> = {
  ReserveRoomFunctionArn: functionArn('ReserveRoomFunction'),
  CancelReservationFunctionArn: functionArn('CancelReservationFunction'),
  ScheduleExamFunctionArn: functionArn('ScheduleExamFunction'),
  SendExamNotificationFunctionArn: functionArn('SendExamNotificationFunction'),
  TakeAdministrativeActionFunctionArn: functionArn('TakeAdministrativeActionFunction'),
  IncidentsTableName: 'IncidentsTable',
};

export function definitionOf(file: string): string {
  const text = fs.readFileSync(path.join(root, 'statemachine', file), 'utf8');
  return text.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, key: string) => {
    if (!Object.hasOwn(substitutions, key))
      throw new Error(`${file} uses the substitution ${whole}, which the test does not know`);
    return substitutions[key];
  });
}

export interface Workflows {
  harness: Harness;
  callCentreArn: string;
  plagiarismArn: string;
}

export async function startWorkflows(): Promise<Workflows> {
  const harness = await startHarness({ mockConfigPath });
  const create = async (name: string, file: string, type: 'STANDARD' | 'EXPRESS') =>
    (await harness.client.send(new CreateStateMachineCommand({ name, definition: definitionOf(file), roleArn, type })))
      .stateMachineArn!;
  return {
    harness,
    callCentreArn: await create('CallCentreStateMachine', 'call-centre.asl.json', 'EXPRESS'),
    plagiarismArn: await create('PlagiarismStateMachine', 'plagiarism.asl.json', 'STANDARD'),
  };
}

/** The history of any execution, EXPRESS included (AWS's API refuses that; the local dashboard endpoint does not). */
export async function localHistory(harness: Harness, executionArn: string): Promise<HistoryEvent[]> {
  const response = await fetch(`${harness.server.url}/_local/executions/${encodeURIComponent(executionArn)}`);
  return ((await response.json()) as { events: HistoryEvent[] }).events;
}

/** The states the execution went through, in order. */
export const statePath = (events: HistoryEvent[]) =>
  events.filter((event) => event.type?.endsWith('StateEntered')).map((event) => event.stateEnteredEventDetails!.name);

export const eventsOfType = (events: HistoryEvent[], type: string) => events.filter((event) => event.type === type);

/** Moves the engine clock a second at a time until `done` holds: lets Retry back-offs pass without waiting. */
export async function tickUntil(harness: Harness, done: () => Promise<boolean>, maxTicks = 200): Promise<void> {
  for (let tick = 0; !(await done()); tick++) {
    if (tick >= maxTicks) throw new Error(`still waiting after ${maxTicks} clock ticks`);
    await fetch(`${harness.server.url}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"advanceSeconds":1}',
    });
  }
}
