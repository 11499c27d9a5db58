/**
 * Generated hostile execution input for both state machines, through the local Step Functions API of a real local
 * cloud (the functions, DynamoDB Local, the SES capture): StartSyncExecution of the call centre, StartExecution of
 * both. Each start is either refused by the API (a named SFN error) or runs to a Fail state with a named error,
 * promptly (never stuck RUNNING), never with States.Runtime or another error of our own code, and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import fc from 'fast-check';
import { dynamoDbClient } from '../../local/services/dynamodb-local';
import { eventually } from '../support/eventually';
import { newStudent } from '../system/support/incidents';
import { futureNight, reserveBody } from '../system/support/reservations';
import { systemCloudOfThisFile } from '../system/support/system-cloud';
import {
  bodyText,
  describeBody,
  hostileButValidText,
  impossibleDate,
  invalidBody,
  invalidForAnyText,
  lineBreaks,
  malformedText,
  megabyteString,
  notAJsonObjectText,
  notAString,
  runs,
  type Body,
} from './arbitraries';
import { executionArns, sfnClient, withoutEffect, type World } from './observe';

jest.setTimeout(120_000);

const system = systemCloudOfThisFile();
let world: World;
let sfn: SFNClient;

beforeAll(() => {
  world = {
    dynamodb: dynamoDbClient(system.cloud.urls.dynamodb),
    sesUrl: system.sesUrl,
  };
  sfn = sfnClient(system.sfnUrl);
});

afterAll(() => world?.dynamodb.destroy());

/** Errors the API may refuse a start with: the input is not a JSON text Step Functions takes. */
const REFUSALS = ['InvalidExecutionInput', 'ValidationException'];

/** Errors of our own code paths, or of a definition that did not expect the input: never the end of bad input. */
const CRASHES =
  /^(States\.(Runtime|TaskFailed|QueryEvaluationError|IntrinsicFailure|ResultPathMatchFailure|ParameterPathFailure)|Lambda\.|InternalServerError|TypeError|Error$|Runtime\.)/;

interface Outcome {
  refused?: string;
  executionArn?: string;
  status?: string;
  error?: string;
  cause?: string;
}

/**
 * A state machine's execution ARNs, sorted: ListExecutions for a STANDARD one; an EXPRESS one's executions
 * (which ListExecutions refuses with StateMachineTypeNotSupported, as in AWS) from the local API's
 * GET /_local/executions, which lists every execution it ran.
 */
async function executionsOf(stateMachineArn: string): Promise<string[]> {
  if (stateMachineArn !== system.cloud.stateMachines.CallCentreStateMachine) return executionArns(sfn, stateMachineArn);
  const response = await fetch(
    `${system.sfnUrl}/_local/executions?stateMachineArn=${encodeURIComponent(stateMachineArn)}`,
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { executions: { executionArn: string }[] }).executions
    .map((execution) => execution.executionArn)
    .sort();
}

/**
 * Runs `start` on `stateMachineArn` and checks it was refused, with no execution created, or ran as exactly one
 * new execution (the one it answered) that failed with one of `errors`; and that nothing else changed.
 */
async function expectNamedFailWithoutEffect(
  what: string,
  stateMachineArn: string,
  errors: readonly string[],
  start: () => Promise<Outcome>,
): Promise<'refused' | 'failed'> {
  return withoutEffect(world, what, async () => {
    const before = await executionsOf(stateMachineArn);
    let outcome: Outcome;
    try {
      outcome = await start();
    } catch (error) {
      outcome = { refused: (error as Error).name };
    }
    const started = (await executionsOf(stateMachineArn)).filter((arn) => !before.includes(arn));
    const context = `${what}\n→ ${JSON.stringify(outcome).slice(0, 600)}`;
    if (outcome.refused !== undefined) {
      if (!REFUSALS.includes(outcome.refused)) throw new Error(`refused with an unexpected error: ${context}`);
      // Refused means nothing started: no execution, not even a failed one.
      expect({ what, started }).toEqual({ what, started: [] });
    } else {
      expect({ what, started }).toEqual({ what, started: [outcome.executionArn] });
      if (outcome.status !== 'FAILED') throw new Error(`expected a FAILED execution: ${context}`);
      if (!outcome.error || CRASHES.test(outcome.error) || !errors.includes(outcome.error)) {
        throw new Error(`expected a Fail named ${errors.join(' or ')}: ${context}`);
      }
    }
    return outcome.refused !== undefined ? 'refused' : 'failed';
  });
}

/** How many runs of a property ended each way, so a test can show both of its checks ran. */
function tally(): { counts: Record<'refused' | 'failed', number>; count(outcome: 'refused' | 'failed'): void } {
  const counts = { refused: 0, failed: 0 };
  return {
    counts,
    count: (outcome) => {
      counts[outcome] += 1;
    },
  };
}

/** StartExecution, then waits (bounded) for the execution to end: one still running after it is stuck. */
async function startAndWait(stateMachineArn: string, input: string): Promise<Outcome> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input, name: randomUUID() }));
  return eventually(
    `execution ${executionArn} to end`,
    async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status === 'RUNNING') return undefined;
      return { executionArn, status: execution.status, error: execution.error, cause: execution.cause };
    },
    { timeoutMs: 10_000 },
  );
}

const validReserve = () => ({ ...reserveBody('SUITE', 70), CheckOut: futureNight(72) }) as Record<string, unknown>;

const invalidCallCentreInput = invalidBody(validReserve, {
  TransactionType: {
    required: true,
    invalid: fc.oneof(notAString, hostileButValidText, fc.constantFrom('reserve', '')),
  },
  GuestName: { required: true, invalid: fc.oneof(invalidForAnyText, fc.constantFrom('', 'x'.repeat(201))) },
  GuestEmail: {
    required: true,
    invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constant('not-an-email')),
  },
  RoomType: { required: true, invalid: fc.oneof(notAString, hostileButValidText, fc.constant('PENTHOUSE')) },
  CheckIn: { required: true, invalid: fc.oneof(notAString, impossibleDate, fc.constant('2020-01-01')) },
  CheckOut: { required: true, invalid: fc.oneof(notAString, impossibleDate, fc.constant(futureNight(200))) },
  ReservationId: { required: false, invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constant('')) },
});

const callCentreErrors = ['ValidationError', 'UnknownTransactionType', 'ReservationNotFound'];

describe('CallCentreStateMachine', () => {
  const arn = () => system.cloud.stateMachines.CallCentreStateMachine;

  test('StartSyncExecution with bad input: refused, or FAILED with a named error, and nothing booked', async () => {
    const outcomes = tally();
    await fc.assert(
      fc.asyncProperty(invalidCallCentreInput, async (body) =>
        outcomes.count(
          await expectNamedFailWithoutEffect(
            `StartSyncExecution ${describeBody(body)}`,
            arn(),
            callCentreErrors,
            async () => {
              const result = await sfn.send(
                new StartSyncExecutionCommand({ stateMachineArn: arn(), input: bodyText(body) }),
              );
              return {
                executionArn: result.executionArn,
                status: result.status,
                error: result.error,
                cause: result.cause,
              };
            },
          ),
        ),
      ),
      runs(40),
    );
    // Both kinds of input were tried: some refused (no execution), some run to a Fail (one execution each).
    expect(outcomes.counts.refused).toBeGreaterThan(0);
    expect(outcomes.counts.failed).toBeGreaterThan(0);
  });
});

/** Texts Step Functions cannot parse as JSON. */
const notAJsonText = notAJsonObjectText.filter((text) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
});

/** What POST /incident starts the workflow with: the API's request id as IncidentId, then the validated body. */
const validIncidentInput = () => ({ IncidentId: randomUUID(), ...newStudent() }) as Record<string, unknown>;

describe('PlagiarismStateMachine', () => {
  test('StartExecution with input that is no JSON is refused with InvalidExecutionInput, and nothing starts', async () => {
    await fc.assert(
      fc.asyncProperty(notAJsonText, (input) =>
        withoutEffect(world, `StartExecution ${JSON.stringify(input).slice(0, 300)}`, async () => {
          const stateMachineArn = system.cloud.stateMachines.PlagiarismStateMachine;
          const before = await executionArns(sfn, stateMachineArn);
          const name = randomUUID();
          await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, input, name }))).rejects.toMatchObject({
            name: 'InvalidExecutionInput',
          });
          expect(await executionArns(sfn, stateMachineArn)).toEqual(before);
        }),
      ),
      runs(10),
    );
  });

  // POST /incident validates its body, so this is reached only by StartExecution directly: the definition's
  // ValidateIncident state refuses it before anything is written or emailed.
  test('StartExecution with bad input: refused, or FAILED with ValidationError, and no incident, exam or email', async () => {
    const invalidInput = invalidBody(validIncidentInput, {
      IncidentId: { required: true, invalid: fc.oneof(invalidForAnyText, lineBreaks, fc.constant('')) },
      StudentId: { required: true, invalid: fc.oneof(invalidForAnyText, lineBreaks, fc.constant('')) },
      StudentName: { required: true, invalid: fc.oneof(invalidForAnyText, fc.constant('')) },
      StudentEmail: {
        required: true,
        invalid: fc.oneof(invalidForAnyText, hostileButValidText, fc.constant('not-an-email')),
      },
      IncidentDate: { required: true, invalid: fc.oneof(notAString, impossibleDate, malformedText) },
      Description: { required: false, invalid: fc.oneof(notAString, malformedText, megabyteString) },
    });
    const outcomes = tally();
    await fc.assert(
      fc.asyncProperty(invalidInput, async (body: Body) =>
        outcomes.count(
          await expectNamedFailWithoutEffect(
            `StartExecution ${describeBody(body)}`,
            system.cloud.stateMachines.PlagiarismStateMachine,
            ['ValidationError'],
            () => startAndWait(system.cloud.stateMachines.PlagiarismStateMachine, bodyText(body)),
          ),
        ),
      ),
      runs(30),
    );
    expect(outcomes.counts.refused).toBeGreaterThan(0);
    expect(outcomes.counts.failed).toBeGreaterThan(0);
  });
});

describe('after the hostile executions', () => {
  test('both state machines run valid input', async () => {
    const reserved = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: system.cloud.stateMachines.CallCentreStateMachine,
        input: JSON.stringify(validReserve()),
      }),
    );
    expect({ status: reserved.status, error: reserved.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
    const health = await fetch(`${system.api.baseUrl}/_local/health`);
    expect(health.status).toBe(200);
  });
});
