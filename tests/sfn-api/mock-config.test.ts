import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TaskRequest } from '@serverless-workflows/sfn-engine';
import { SfnApiError } from '../../local/sfn-api/errors';
import { MockConfig, MockConfigSource } from '../../local/sfn-api/mock-config/mock-config';
import { MockedIntegrations } from '../../local/sfn-api/mock-config/mocked-integrations';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-mock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (config: unknown) => {
  const file = path.join(dir, 'MockConfigFile.json');
  fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
};

const definition = {
  StartAt: 'Save',
  States: {
    Save: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Next: 'Fan' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Notify',
          States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
        },
      ],
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Item',
        States: { Item: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
      },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

const goodConfig = {
  StateMachines: {
    Orders: {
      TestCases: {
        HappyPath: { Save: 'PutOk', Notify: 'ThrottledTwiceThenOk', Item: 'PutOk' },
        NothingMocked: {},
      },
    },
  },
  MockedResponses: {
    PutOk: { '0-1': { Return: {} } },
    ThrottledTwiceThenOk: {
      '0-1': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      '2': { Return: { StatusCode: 200, Payload: 'ok' } },
    },
  },
};

function problemOf(config: unknown): string {
  try {
    MockConfig.load(write(config));
  } catch (error) {
    expect(error).toBeInstanceOf(SfnApiError);
    expect((error as SfnApiError).code).toBe('ValidationException');
    return (error as Error).message;
  }
  throw new Error('expected the mock config to be refused');
}

describe('loading a mock config file', () => {
  it('accepts the Step Functions Local format and finds test cases', () => {
    const testCase = MockConfig.load(write(goodConfig)).testCase('Orders', 'HappyPath', definition);
    expect(testCase.isMocked('Save')).toBe(true);
    expect(testCase.isMocked('Done')).toBe(false);
  });

  it('names the file and the problem for a file that is not JSON', () => {
    const file = write('{"StateMachines": ');
    expect(problemOf('{"StateMachines": ')).toContain(`The mock config file ${file} is invalid: is not JSON`);
  });

  it('reports schema problems with their place in the file', () => {
    const message = problemOf({
      StateMachines: { Orders: { TestCases: { A: { Save: 42 } } } },
      MockedResponse: {},
    });
    expect(message).toContain("/: the field 'MockedResponses' is required");
    expect(message).toContain("/: unknown field 'MockedResponse' (did you mean 'MockedResponses'?)");
    expect(message).toContain('/StateMachines/Orders/TestCases/A/Save: must be string');
  });

  it('refuses Return and Throw together, Throw without Error, and bad invocation keys', () => {
    const message = problemOf({
      StateMachines: {},
      MockedResponses: {
        Both: { '0': { Return: 1, Throw: { Error: 'E' } } },
        NoError: { '0': { Throw: { Cause: 'c' } } },
        BadKey: { first: { Return: 1 } },
      },
    });
    expect(message).toContain("/MockedResponses/Both/0: must have exactly one of 'Return' or 'Throw', not both");
    expect(message).toContain("/MockedResponses/NoError/0/Throw: the field 'Error' is required");
    expect(message).toContain(
      '/MockedResponses/BadKey: invocation key \'first\' must be a 0-based invocation number like "0" or a range like "1-2"',
    );
  });

  it('refuses invocation keys with gaps or overlaps, and test cases naming undefined responses', () => {
    const message = problemOf({
      StateMachines: { Orders: { TestCases: { A: { Save: 'Missing' } } } },
      MockedResponses: {
        Gap: { '0': { Return: 1 }, '2': { Return: 2 } },
        Overlap: { '0-1': { Return: 1 }, '1': { Return: 2 } },
      },
    });
    expect(message).toContain(
      '/MockedResponses/Gap: invocation keys must be consecutive from "0" without gaps or overlaps (found "2" where invocation 1 was expected)',
    );
    expect(message).toContain('/MockedResponses/Overlap: invocation keys must be consecutive');
    expect(message).toContain(
      "/StateMachines/Orders/TestCases/A/Save: the mocked response 'Missing' is not defined in MockedResponses",
    );
  });

  it('says InvalidName for an unknown test case, listing the known ones', () => {
    const config = MockConfig.load(write(goodConfig));
    expect(() => config.testCase('Orders', 'Nope', definition)).toThrow(
      expect.objectContaining({
        code: 'InvalidName',
        message: expect.stringContaining("Invalid mock test case name 'Nope' for state machine 'Orders'"),
      }),
    );
    expect(() => config.testCase('Orders', 'Nope', definition)).toThrow(/defines only \[HappyPath, NothingMocked\]/);
    expect(() => config.testCase('Other', 'HappyPath', definition)).toThrow(/defines no test cases for it/);
  });

  it('refuses a test case that mocks a state the definition does not have (a typo would call the real service)', () => {
    const config = MockConfig.load(
      write({ ...goodConfig, StateMachines: { Orders: { TestCases: { T: { Sav: 'PutOk', Done: 'PutOk' } } } } }),
    );
    expect(() => config.testCase('Orders', 'T', definition)).toThrow(
      expect.objectContaining({
        code: 'ValidationException',
        message: expect.stringContaining(
          "mocks 'Sav', 'Done', which are not Task states of the definition (Task states: [Save, Notify, Item])",
        ),
      }),
    );
  });

  it('re-reads the file when it changes', () => {
    const file = write(goodConfig);
    const source = new MockConfigSource(file);
    expect(() => source.current().testCase('Orders', 'Later', definition)).toThrow(/Invalid mock test case name/);
    const changed = structuredClone(goodConfig) as typeof goodConfig & {
      StateMachines: { Orders: { TestCases: Record<string, object> } };
    };
    changed.StateMachines.Orders.TestCases.Later = {};
    fs.writeFileSync(file, JSON.stringify(changed));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(source.current().testCase('Orders', 'Later', definition).isMocked('Save')).toBe(false);
  });
});

describe('mocked outcomes', () => {
  const testCase = () => MockConfig.load(write(goodConfig)).testCase('Orders', 'HappyPath', definition);

  it('answers per invocation number, with ranges', () => {
    const mocks = testCase();
    expect(mocks.outcome('Notify', 0)).toEqual({
      ok: false,
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate exceeded',
    });
    expect(mocks.outcome('Notify', 1)).toEqual({
      ok: false,
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate exceeded',
    });
    expect(mocks.outcome('Notify', 2)).toEqual({ ok: true, output: { StatusCode: 200, Payload: 'ok' } });
  });

  it('fails with States.Runtime when the responses run out, saying which invocation', () => {
    expect(testCase().outcome('Notify', 3)).toEqual({
      ok: false,
      error: 'States.Runtime',
      cause:
        "The mocked response 'ThrottledTwiceThenOk' used for state 'Notify' by test case 'HappyPath' has no entry for invocation 3 (0-based); it covers invocations 0-2",
    });
  });

  const request = (overrides: Partial<TaskRequest>): TaskRequest => ({
    resource: 'arn:aws:states:::lambda:invoke',
    parameters: {},
    stateName: 'Notify',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Orders:e1',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
    stateMachineName: 'Orders',
    attempt: 2,
    signal: new AbortController().signal,
    ...overrides,
  });

  it('never calls the real integration for a mocked state, and calls it for the others', async () => {
    const real = { invoke: jest.fn(async () => ({ ok: true as const, output: 'real' })) };
    const integrations = new MockedIntegrations(
      real,
      () => testCase(),
      () => undefined,
    );
    await expect(integrations.invoke(request({}))).resolves.toEqual({
      ok: true,
      output: { StatusCode: 200, Payload: 'ok' },
    });
    expect(real.invoke).not.toHaveBeenCalled();
    await expect(integrations.invoke(request({ stateName: 'Done' }))).resolves.toEqual({ ok: true, output: 'real' });
    expect(real.invoke).toHaveBeenCalledTimes(1);
  });

  it('completes a mocked callback task with the Return value right after submitting it', async () => {
    const completed: unknown[] = [];
    const integrations = new MockedIntegrations(
      { invoke: jest.fn() },
      () => testCase(),
      (token, output) => completed.push([token, output]),
    );
    const outcome = await integrations.invoke(request({ taskToken: 'token-1' }));
    expect(outcome).toEqual({ ok: true, output: { StatusCode: 200, Payload: 'ok' } });
    expect(completed).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toEqual([['token-1', { StatusCode: 200, Payload: 'ok' }]]);
  });

  it('fails every task of an execution whose test case can no longer be read, instead of calling real services', async () => {
    const real = { invoke: jest.fn() };
    const integrations = new MockedIntegrations(
      real,
      () => new Error('the mock config file is gone'),
      () => undefined,
    );
    await expect(integrations.invoke(request({}))).resolves.toEqual({
      ok: false,
      error: 'States.Runtime',
      cause: 'the mock config file is gone',
    });
    expect(real.invoke).not.toHaveBeenCalled();
  });
});
