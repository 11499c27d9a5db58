/**
 * TestState unit tests of the project's workflows: each state of a deployed definition (template.yaml's state
 * machines, with their DefinitionSubstitutions applied as SAM applies them) tested on its own by the engine's
 * TestState, as AWS's TestState API tests it (stateName, mock, stateConfiguration, variables, context). No service
 * is reachable: a Task whose result the test does not mock fails the test. The mocked results are checked against
 * the service API's output shape (fieldValidationMode STRICT), as AWS checks them.
 */
import path from 'node:path';
import { Engine, VirtualClock, type TestStateRequest, type TestStateResult } from '@serverless-workflows/sfn-engine';
import { validateMockResult } from '../../local/sfn-api/mock-result-shapes';
import { stateMachineDefinitions } from '../../local/provisioning/state-machines';
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { loadTemplate } from '../../local/template/load';

const templateFile = path.join(__dirname, '../../template.yaml');

/** The definition the template deploys as `logicalId`, substitutions applied. */
export function deployedDefinition(logicalId: string): string {
  const template = loadTemplate(templateFile);
  const resolver = new IntrinsicResolver(template, { region: 'us-east-1' });
  const machine = stateMachineDefinitions(template, resolver, path.dirname(templateFile)).find(
    (candidate) => candidate.name === logicalId,
  );
  if (!machine) throw new Error(`template.yaml has no state machine ${logicalId}`);
  return machine.definition;
}

export const roleArn = 'arn:aws:iam::123456789012:role/StepFunctionsRole';

const engine = new Engine({
  clock: new VirtualClock(Date.parse('2030-05-01T10:00:00Z')),
  integrations: {
    invoke: async (task) => {
      throw new Error(`${task.stateName} called ${task.resource}: a TestState unit test must mock it`);
    },
  },
});

/** TestState of `stateName` in `definition`, at DEBUG unless the request says otherwise. */
export function testStateOf(
  definition: string,
  stateName: string,
  request: Omit<TestStateRequest, 'definition' | 'stateName' | 'input'> & { input?: unknown } = {},
): Promise<TestStateResult> {
  const { input, ...rest } = request;
  return engine.testState(
    {
      definition,
      stateName,
      inspectionLevel: 'DEBUG',
      ...(input !== undefined ? { input: JSON.stringify(input) } : {}),
      ...rest,
    },
    validateMockResult,
  );
}

/**
 * testStateOf for one definition, noting each state it is asked about: `everyStateTested()` (in an afterAll) then
 * checks that every state of the definition has its test.
 */
export function stateTester(definition: string) {
  const tested = new Set<string>();
  const testState: typeof testStateOf = (_definition, stateName, request) => {
    tested.add(stateName);
    return testStateOf(definition, stateName, request);
  };
  const everyStateTested = () => expect([...tested].sort()).toEqual(stateNames(definition).sort());
  return { testState, everyStateTested };
}

/** A JSON text member of TestState's answer as its value. */
export const value = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

/** The states a definition has, for checking that every one of them is tested. */
function stateNames(definition: string): string[] {
  return Object.keys((JSON.parse(definition) as { States: object }).States);
}

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
}

/** A Task state's Retry and Catch, as the definition has them. */
export function errorHandling(definition: string, stateName: string): { retry: Retrier[]; catch: Catcher[] } {
  const state = (JSON.parse(definition) as { States: Record<string, { Retry?: Retrier[]; Catch?: Catcher[] }> }).States[
    stateName
  ];
  return { retry: state.Retry ?? [], catch: state.Catch ?? [] };
}
