/**
 * Every operation of the Step Functions service model (2016-11-23, as @aws-sdk/client-sfn lists its *Command
 * classes) is served: each is called through the SDK and answers either a result or one of the model's own
 * errors (an empty request gets the model's ValidationException for its required members), never
 * UnsupportedOperation or UnknownOperationException, and never a server error.
 */
import * as sfn from '@aws-sdk/client-sfn';
import { startHarness, stopHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => stopHarness(harness));

type CommandClass = new (input: object) => Parameters<sfn.SFNClient['send']>[0];

const commands = Object.entries(sfn).filter(
  ([name, value]) => /^[A-Z]\w*Command$/.test(name) && typeof value === 'function',
) as [string, CommandClass][];

/** The model's errors: the exception classes the client exports (ValidationException, StateMachineDoesNotExist, ...). */
const modelErrors = new Set(
  Object.entries(sfn)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof sfn.SFNServiceException)
    .map(([name]) => name),
);

it('lists the 37 operations of the 2016-11-23 model', () => {
  expect(commands.map(([name]) => name.replace(/Command$/, '')).sort()).toHaveLength(37);
  expect(modelErrors.has('ValidationException')).toBe(true);
});

it.each(commands)('%s is served', async (_name, Command) => {
  try {
    await harness.client.send(new Command({}));
  } catch (error) {
    const { name, $metadata } = error as { name: string; $metadata?: { httpStatusCode?: number } };
    expect(name).not.toMatch(/^(UnsupportedOperation|UnknownOperationException)$/);
    expect(modelErrors).toContain(name);
    expect($metadata?.httpStatusCode).toBeLessThan(500);
  }
});
