/**
 * Step Functions Local mode (`SFN_LOCAL_MODE=1`, `npm start -- --sfn-local`): the Step Functions API as AWS's Step
 * Functions Local (the amazon/aws-stepfunctions-local image, 2.0.0) presents itself, so that test suites written
 * for it run unchanged. Off by default: then the API keeps AWS's own behaviour.
 *
 * What the mode changes, each where Step Functions Local differs from AWS:
 * - No state machine exists at start (the local cloud provisions none): suites that take
 *   `list_state_machines()["stateMachines"][0]` find the one they created.
 * - `aws-sdk:` tasks are named in history events as Step Functions Local names them: resourceType `aws-sdk` and
 *   resource `comprehend:detectSentiment`, where AWS records resourceType `aws-sdk:comprehend` and resource
 *   `detectSentiment` (docs/stepfunctions-local.md; aws-samples/serverless-test-samples
 *   typescript-test-samples/step-functions-local counts TaskSucceeded events whose resource is
 *   `comprehend:detectSentiment`).
 * - The start-up names its port as Step Functions Local's does ("Starting server on port 8083", the line suites
 *   wait for), 8083 being the default port of both.
 */
import type { HistoryEvent } from '@serverless-workflows/sfn-engine';

/**
 * `SFN_LOCAL_MODE=1` or `true` turns the mode on; `0`, `false` or unset keep AWS's behaviour; anything else is a
 * mistake to report (npm start prints it with its usage and exits 2) rather than a guess.
 */
export function sfnLocalModeFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.SFN_LOCAL_MODE?.trim().toLowerCase() ?? '';
  if (value === '1' || value === 'true') return true;
  if (value === '' || value === '0' || value === 'false') return false;
  throw new Error(
    `SFN_LOCAL_MODE must be 1 or true (Step Functions Local mode), or 0, false or unset (AWS's behaviour), got "${env.SFN_LOCAL_MODE}"`,
  );
}
/** The line Step Functions Local prints when it listens (its suites wait for it). */
export function startedLine(port: number): string {
  return `Starting server on port ${port}`;
}

const AWS_SDK_PREFIX = 'aws-sdk:';

/**
 * A history event as Step Functions Local records it: every task event's `aws-sdk:<service>` resourceType becomes
 * `aws-sdk` with the service moved into the resource (`<service>:<action>[.waitForTaskToken]`). Other events, and
 * other integrations (`lambda`/`invoke`, `dynamodb`/`putItem`, ...), are named alike by both and stay as they are.
 */
export function withStepFunctionsLocalNames(event: HistoryEvent): HistoryEvent {
  let renamed: Record<string, unknown> | undefined;
  for (const [key, details] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || !isTaskDetails(details) || !details.resourceType.startsWith(AWS_SDK_PREFIX))
      continue;
    const service = details.resourceType.slice(AWS_SDK_PREFIX.length);
    renamed ??= { ...event };
    renamed[key] = { ...details, resourceType: 'aws-sdk', resource: `${service}:${details.resource}` };
  }
  return (renamed as HistoryEvent | undefined) ?? event;
}

function isTaskDetails(details: unknown): details is { resourceType: string; resource: string } {
  return (
    typeof details === 'object' &&
    details !== null &&
    typeof (details as { resourceType?: unknown }).resourceType === 'string' &&
    typeof (details as { resource?: unknown }).resource === 'string'
  );
}
