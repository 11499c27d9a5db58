/**
 * Step Functions Local's mock configuration (SFN_MOCK_CONFIG, docs/stepfunctions-local.md §5): loading,
 * checking and looking up mocked responses. Unlike Step Functions Local (plain HTTP 500s), every problem is
 * a 400 whose message names it: a bad file is a ValidationException listing the first problems with
 * their place in the file; an unknown test case is InvalidName; a test case that mocks a state the
 * definition does not have (a typo would otherwise silently call the real service) is a ValidationException.
 */
import fs from 'node:fs';
import Ajv, { type ErrorObject } from 'ajv';
import type { TaskOutcome } from '@serverless-workflows/sfn-engine';
import { invalidName, validationException } from '../errors';
import { taskStateNamesOf } from './definition-states';
import { mockConfigSchema } from './schema';

interface MockResponseEntry {
  Return?: unknown;
  Throw?: { Error: string; Cause?: string };
}

interface MockConfigFile {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockResponseEntry>>;
}

interface InvocationRange {
  from: number;
  to: number;
  entry: MockResponseEntry;
}

const shownProblems = 10;
const validateSchema = new Ajv({ allErrors: true, strict: true }).compile(mockConfigSchema);

const pointer = (instancePath: string) => instancePath || '/';

function describeSchemaError(error: ErrorObject): string | undefined {
  const params = error.params as Record<string, unknown>;
  const at = pointer(error.instancePath);
  const depth = error.instancePath.split('/').length - 1;
  switch (error.keyword) {
    case 'required':
      return `${at}: the field '${params.missingProperty}' is required`;
    case 'additionalProperties': {
      const hint = params.additionalProperty === 'MockedResponse' ? " (did you mean 'MockedResponses'?)" : '';
      return `${at}: unknown field '${params.additionalProperty}'${hint}`;
    }
    case 'propertyNames':
      return `${at}: invocation key '${params.propertyName}' must be a 0-based invocation number like "0" or a range like "1-2"`;
    case 'pattern':
      return undefined; // reported by its propertyNames error
    case 'minProperties':
      return depth === 2
        ? `${at}: the mocked response has no invocation entries`
        : `${at}: needs one of 'Return' or 'Throw'`;
    case 'maxProperties':
      return `${at}: must have exactly one of 'Return' or 'Throw', not both`;
    default:
      return `${at}: ${error.message}`;
  }
}

function parseRange(key: string): { from: number; to: number } {
  const [from, to = from] = key.split('-').map(Number);
  return { from, to };
}

/** Problems a schema cannot express: invocation keys consecutive from 0, and test cases naming defined responses. */
function checkReferences(config: MockConfigFile): string[] {
  const problems: string[] = [];
  for (const [name, entries] of Object.entries(config.MockedResponses)) {
    const ranges = Object.keys(entries)
      .map((key) => ({ key, ...parseRange(key) }))
      .sort((a, b) => a.from - b.from);
    let next = 0;
    for (const range of ranges) {
      if (range.to < range.from)
        problems.push(`/MockedResponses/${name}/${range.key}: the range ends before it starts`);
      else if (range.from !== next) {
        problems.push(
          `/MockedResponses/${name}: invocation keys must be consecutive from "0" without gaps or overlaps (found "${range.key}" where invocation ${next} was expected)`,
        );
        break;
      } else next = range.to + 1;
    }
  }
  for (const [machine, { TestCases }] of Object.entries(config.StateMachines)) {
    for (const [testCase, states] of Object.entries(TestCases)) {
      for (const [state, response] of Object.entries(states)) {
        if (!Object.hasOwn(config.MockedResponses, response)) {
          problems.push(
            `/StateMachines/${machine}/TestCases/${testCase}/${state}: the mocked response '${response}' is not defined in MockedResponses`,
          );
        }
      }
    }
  }
  return problems;
}

function invalidFile(file: string, problems: string[]): Error {
  const more = problems.length > shownProblems ? `; and ${problems.length - shownProblems} more` : '';
  return validationException(
    `The mock config file ${file} is invalid: ${problems.slice(0, shownProblems).join('; ')}${more}`,
  );
}

/** One test case of one state machine: which states are mocked and with what. */
export class MockTestCase {
  constructor(
    readonly stateMachineName: string,
    readonly name: string,
    private readonly states: Record<string, string>,
    private readonly responses: Record<string, InvocationRange[]>,
  ) {}

  isMocked(stateName: string): boolean {
    return Object.hasOwn(this.states, stateName);
  }

  /** The mocked outcome of the `invocation`-th (0-based) invocation of the state; a missing entry fails with States.Runtime. */
  outcome(stateName: string, invocation: number): TaskOutcome {
    const responseName = this.states[stateName];
    const ranges = this.responses[responseName];
    const range = ranges.find(({ from, to }) => invocation >= from && invocation <= to);
    if (!range) {
      return {
        ok: false,
        error: 'States.Runtime',
        cause: `The mocked response '${responseName}' used for state '${stateName}' by test case '${this.name}' has no entry for invocation ${invocation} (0-based); it covers invocations 0-${ranges[ranges.length - 1].to}`,
      };
    }
    const { Return, Throw } = range.entry;
    return Throw ? { ok: false, error: Throw.Error, cause: Throw.Cause } : { ok: true, output: Return };
  }
}

export class MockConfig {
  private constructor(
    readonly file: string,
    private readonly config: MockConfigFile,
  ) {}

  /** Reads and checks the file; throws a ValidationException naming the first problems. */
  static load(file: string): MockConfig {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw invalidFile(file, [`cannot be read (${(error as Error).message})`]);
    }
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw invalidFile(file, [`is not JSON (${(error as Error).message})`]);
    }
    if (!validateSchema(config)) {
      throw invalidFile(
        file,
        (validateSchema.errors ?? []).map(describeSchemaError).filter((problem) => problem !== undefined),
      );
    }
    const problems = checkReferences(config as MockConfigFile);
    if (problems.length > 0) throw invalidFile(file, problems);
    return new MockConfig(file, config as MockConfigFile);
  }

  /** The test cases' names by state machine name, as the file lists them. */
  testCaseNames(): Record<string, string[]> {
    return Object.fromEntries(
      Object.entries(this.config.StateMachines).map(([name, machine]) => [name, Object.keys(machine.TestCases)]),
    );
  }

  /**
   * The test case for an execution of `stateMachineName` with `definition`; InvalidName for an unknown
   * test case, ValidationException when it mocks a state that is not a Task state of the definition.
   */
  testCase(stateMachineName: string, testCaseName: string, definition: unknown): MockTestCase {
    const testCases = this.config.StateMachines[stateMachineName]?.TestCases ?? {};
    if (!Object.hasOwn(testCases, testCaseName)) {
      const known = Object.keys(testCases);
      throw invalidName(
        testCaseName,
        `Invalid mock test case name '${testCaseName}' for state machine '${stateMachineName}': ${this.file} ` +
          (known.length > 0 ? `defines only [${known.join(', ')}]` : 'defines no test cases for it'),
      );
    }
    const states = testCases[testCaseName];
    const taskStates = taskStateNamesOf(definition);
    const unknown = Object.keys(states).filter((state) => !taskStates.has(state));
    if (unknown.length > 0) {
      throw validationException(
        `Test case '${testCaseName}' of state machine '${stateMachineName}' in ${this.file} mocks ${unknown.map((state) => `'${state}'`).join(', ')}, ` +
          `which ${unknown.length > 1 ? 'are not Task states' : 'is not a Task state'} of the definition (Task states: [${[...taskStates].join(', ')}])`,
      );
    }
    const responses = Object.fromEntries(
      Object.values(states).map((response) => [
        response,
        Object.entries(this.config.MockedResponses[response])
          .map(([key, entry]) => ({ ...parseRange(key), entry }))
          .sort((a, b) => a.from - b.from),
      ]),
    );
    return new MockTestCase(stateMachineName, testCaseName, states, responses);
  }
}

/** The file named by SFN_MOCK_CONFIG, re-read when it changes (like LocalStack) so tests can edit it without a restart. */
export class MockConfigSource {
  private cached: { stamp: string; config: MockConfig } | undefined;

  constructor(readonly file: string) {}

  current(): MockConfig {
    let stamp: string;
    try {
      const stat = fs.statSync(this.file);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch (error) {
      throw invalidFile(this.file, [`cannot be read (${(error as Error).message})`]);
    }
    if (this.cached?.stamp !== stamp) this.cached = { stamp, config: MockConfig.load(this.file) };
    return this.cached.config;
  }
}
