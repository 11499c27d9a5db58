/**
 * `npm run bench -- engine`: in-process executions per second of the call-centre state machine (Choice + Task
 * with a trivial local handler) on our engine and on aws-local-stepfunctions, same definition, same run.
 * Prints each rate and the ratio as `N.NNx aws-local-stepfunctions`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

type JSONValue = Parameters<StateMachine['run']>[0];
import { Engine, VirtualClock, type Integrations } from '@serverless-workflows/sfn-engine';
import { median } from '../scripts/lib/measure-module-init';
import { ratioOf, type Headline } from './headline';

const ROOT = path.resolve(__dirname, '..');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** The definition with its DefinitionSubstitutions resolved the way the local runtime does. */
function callCentreDefinition(): Record<string, unknown> {
  const text = readFileSync(path.join(ROOT, 'statemachine', 'call-centre.asl.json'), 'utf8').replace(
    /\$\{(\w+)FunctionArn\}/g,
    (_, name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}Function`,
  );
  return JSON.parse(text);
}

const INPUT = {
  TransactionType: 'Reserve',
  GuestName: 'Ada Lovelace',
  GuestEmail: 'ada@example.com',
  RoomType: 'DELUXE',
  CheckIn: '2030-01-10',
  CheckOut: '2030-01-12',
};

/** The trivial local handler: answers like ReserveRoomFunction behind lambda:invoke, without any I/O. */
function lambdaResult(input: Record<string, unknown>): Record<string, unknown> {
  return {
    ExecutedVersion: '$LATEST',
    StatusCode: 200,
    Payload: {
      TransactionType: input.TransactionType,
      ReservationId: 'r-1',
      RoomNumber: '201',
      RoomType: input.RoomType,
      CheckIn: input.CheckIn,
      CheckOut: input.CheckOut,
      Nights: 2,
      Status: 'CONFIRMED',
      Timestamp: '2030-01-01T00:00:00.000Z',
      Message: 'Reserved',
    },
  };
}

type Runner = () => Promise<unknown>;

/** The n-th execution's name and ARN, the same on both engines. */
function execution(n: number): { name: string; arn: string } {
  const name = `bench-${n}`;
  return { name, arn: `arn:aws:states:${REGION}:${ACCOUNT}:express:CallCentreStateMachine:${name}:${n}` };
}

function ourEngine(definition: object): Runner {
  const integrations: Integrations = {
    invoke: async (request) => ({
      ok: true,
      output: lambdaResult((request.parameters as { Payload: Record<string, unknown> }).Payload),
    }),
  };
  const engine = new Engine({ clock: new VirtualClock(Date.now()), integrations });
  let n = 0;
  return async () => {
    const { name, arn } = execution(n++);
    const started = engine.start({
      definition,
      stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:CallCentreStateMachine`,
      stateMachineName: 'CallCentreStateMachine',
      executionArn: arn,
      name,
      input: INPUT,
      type: 'EXPRESS',
    });
    const info = await started.done;
    if (info.status !== 'SUCCEEDED') throw new Error(`engine execution ${info.status}: ${info.error} ${info.cause}`);
    return info.output;
  };
}

function awsLocalStepFunctions(definition: object): Runner {
  // The parsed ASL file, which the library validates itself (its validationOptions) before it runs anything.
  const machine = new StateMachine(definition as StateMachineDefinition, {
    validationOptions: { checkArn: false, checkPaths: true },
  });
  const handler = (input: JSONValue) =>
    lambdaResult((input as { Payload: Record<string, unknown> }).Payload) as JSONValue;
  const overrides = { taskResourceLocalHandlers: { Reserve: handler, Cancel: handler } };
  // It makes no context object of its own: the definition reads $$.Execution.Id (KeyReserveToExecution), so each run
  // gets the execution identity our engine gives it.
  let n = 0;
  return async () => {
    const { name, arn } = execution(n++);
    const context = { Execution: { Id: arn, Name: name } };
    return machine.run(INPUT, { overrides, context }).result;
  };
}

/** Executions per second over `ms` of wall time, run back to back. */
async function rate(runner: Runner, ms: number): Promise<number> {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) await runner();
    count += 50;
  }
  return (count * 1000) / (performance.now() - start);
}

/**
 * Both engines on the current call-centre definition, checked to give the same output once: what `run()` measures,
 * and what tests/bench/engine-peers.test.ts runs so a definition change the peer cannot run fails `npm test`.
 */
export async function enginePeers(): Promise<{ ours: Runner; theirs: Runner; output: unknown }> {
  const definition = callCentreDefinition();
  const ours = ourEngine(definition);
  const theirs = awsLocalStepFunctions(definition);
  const [a, b] = await Promise.all([ours(), theirs()]);
  if (JSON.stringify(a) !== JSON.stringify(b))
    throw new Error(`outputs differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return { ours, theirs, output: a };
}

export default async function run(): Promise<Headline[]> {
  const { ours, theirs } = await enginePeers();
  // Warm both up, then alternate measured rounds so machine noise hits both alike.
  await rate(ours, 300);
  await rate(theirs, 300);
  const oursRates: number[] = [];
  const theirsRates: number[] = [];
  for (let round = 0; round < 3; round++) {
    oursRates.push(await rate(ours, 700));
    theirsRates.push(await rate(theirs, 700));
  }
  const oursRate = median(oursRates);
  const theirsRate = median(theirsRates);
  console.log(`engine: ${oursRate.toFixed(0)} executions/s (call-centre, Choice + Task, in-process, full history)`);
  console.log(`aws-local-stepfunctions: ${theirsRate.toFixed(0)} executions/s (same definition and handler)`);
  console.log(`${(oursRate / theirsRate).toFixed(2)}x aws-local-stepfunctions`);
  return [
    {
      benchmark: 'engine',
      measure: 'call-centre executions, in process',
      ours: `${oursRate.toFixed(0)} executions/s`,
      peer: `aws-local-stepfunctions: ${theirsRate.toFixed(0)} executions/s`,
      ratio: ratioOf(oursRate, theirsRate, 'higher'),
    },
  ];
}
