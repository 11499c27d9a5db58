import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runtimeNodePath } from '../../local/runtime-node-path';
import { loadTemplate } from '../../local/template/load';
import { FunctionConfigError, LambdaRunner, LambdaServiceError } from '../../local/lambda-runner';
import { XRayCollector } from '../../local/xray/collector';

const fixtures = path.join(__dirname, 'fixtures', 'runner');
const template = loadTemplate(path.join(fixtures, 'template.yaml'));

interface Echo {
  event: unknown;
  invocations: number;
  pid: number;
  env: Record<string, string>;
  context: Record<string, unknown>;
}

describe('LambdaRunner', () => {
  let runner: LambdaRunner;
  let xray: XRayCollector;
  const logs: string[] = [];

  beforeAll(async () => {
    xray = await XRayCollector.start();
    runner = new LambdaRunner({
      template,
      region: 'eu-west-1',
      codeRoot: path.join(fixtures, 'functions'),
      endpoints: { dynamodb: 'http://127.0.0.1:1111', ses: 'http://127.0.0.1:2222', sfn: 'http://127.0.0.1:3333' },
      xray,
      parameterOverrides: { TestingCentreUrl: 'http://localhost:3000/testcentre/' },
      onLog: (functionName, line) => logs.push(`[${functionName}] ${line}`),
    });
  });

  afterAll(async () => {
    runner.close();
    await xray.close();
  });

  it('runs a handler with the event, a Lambda context and its logs', async () => {
    const result = await runner.invoke('EchoFunction', { hello: 'world' });
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBeUndefined();
    const echo = result.payload as Echo;
    expect(echo.event).toEqual({ hello: 'world' });
    expect(echo.context).toMatchObject({
      functionName: 'EchoFunction',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:EchoFunction',
      memoryLimitInMB: '256',
    });
    expect(echo.context.remaining).toBeGreaterThan(4000);
    expect(echo.context.remaining).toBeLessThanOrEqual(5000);
    expect(result.logs).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(result.logs).toContain(`\t${echo.context.awsRequestId}\tINFO\techo {"hello":"world"}`);
    expect(result.logs).toContain('{"level":"INFO","message":"structured"}');
    expect(result.logs).toMatch(/REPORT RequestId: .*\tMemory Size: 256 MB/);
    expect(logs).toContain('[EchoFunction] {"level":"INFO","message":"structured"}');
  });

  it('gives the function its template environment with intrinsics resolved to local names', async () => {
    const { env } = (await runner.invoke('EchoFunction', {})).payload as Echo;
    expect(env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'fixture',
      SENDER_EMAIL: 'sender@example.com',
      ITEMS_TABLE: 'ItemsTable',
      THROW_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:ThrowFunction',
      WORKFLOW_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Workflow',
      URL: 'https://eu-west-1.example.com/dev/${Literal}',
      MODE: 'development',
      JOINED: 'a-y',
      TESTING_CENTRE_URL: 'http://localhost:3000/testcentre/',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1111',
      AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:2222',
      AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:3333',
      AWS_LAMBDA_FUNCTION_NAME: 'EchoFunction',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_XRAY_DAEMON_ADDRESS: xray.address,
      NODE_PATH: runtimeNodePath(),
      _HANDLER: 'app.handler',
    });
    expect(env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
    expect(env).not.toHaveProperty('GONE');
    expect(env).not.toHaveProperty('HOME');
  });

  it('keeps a function warm between invocations and accepts ARNs and qualifiers as names', async () => {
    const first = (await runner.invoke('EchoFunction', {})).payload as Echo;
    const second = (await runner.invoke('arn:aws:lambda:eu-west-1:123456789012:function:EchoFunction:$LATEST', {}))
      .payload as Echo;
    expect(second.pid).toBe(first.pid);
    expect(second.invocations).toBe(first.invocations + 1);
  });

  it('reports a thrown error as Lambda does: errorType, errorMessage, trace, FunctionError Unhandled', async () => {
    const result = await runner.invoke('ThrowFunction', { RoomType: 'SUITE' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({ errorType: 'RoomUnavailable', errorMessage: 'No SUITE room is free' });
    expect((result.payload as { trace: string[] }).trace[0]).toBe('RoomUnavailable: No SUITE room is free');

    const thrownString = await runner.invoke('ThrowFunction', { kind: 'string' });
    expect(thrownString.payload).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] });
  });

  it('times out a hanging function after its Timeout, replaces its process, and keeps serving', async () => {
    const result = await runner.invoke('HangFunction', {});
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/),
    });
    expect(result.logs).toMatch(/Task timed out after 1\.00 seconds/);
    expect((await runner.invoke('HangFunction', { quick: true })).payload).toBe('quick');
  });

  it('survives a function that exits its process, and starts a fresh one for the next invocation', async () => {
    const before = (await runner.invoke('ExitFunction', { ok: true })).payload as { pid: number };
    const result = await runner.invoke('ExitFunction', {});
    expect(result).toMatchObject({
      functionError: 'Unhandled',
      payload: {
        errorType: 'Runtime.ExitError',
        errorMessage: expect.stringMatching(/Error: Runtime exited with error: exit status 3$/),
      },
    });
    const after = (await runner.invoke('ExitFunction', { ok: true })).payload as { pid: number };
    expect(after.pid).not.toBe(before.pid);
  });

  it('fails the invocation for an error thrown outside the handler promise', async () => {
    const result = await runner.invoke('CrashLaterFunction', {});
    expect(result).toMatchObject({
      functionError: 'Unhandled',
      payload: { errorType: 'TypeError', errorMessage: 'boom from a timer' },
    });
  });

  it('reports init failures and unbuilt functions like Lambda', async () => {
    expect(await runner.invoke('BadInitFunction', {})).toMatchObject({
      functionError: 'Unhandled',
      payload: { errorType: 'Error', errorMessage: 'cannot initialise' },
    });
    expect(await runner.invoke('MissingBundleFunction', {})).toMatchObject({
      functionError: 'Unhandled',
      payload: { errorType: 'Runtime.ImportModuleError' },
    });
  });

  it('rejects unknown functions (and those whose condition is false) with ResourceNotFoundException', async () => {
    await expect(runner.invoke('NoSuchFunction', {})).rejects.toThrow(LambdaServiceError);
    await expect(runner.invoke('ProdOnlyFunction', {})).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      statusCode: 404,
      message: 'Function not found: arn:aws:lambda:eu-west-1:123456789012:function:ProdOnlyFunction',
    });
    expect(runner.functionNames).not.toContain('ProdOnlyFunction');
  });

  it('refuses only the function whose template settings cannot be resolved locally, naming why', async () => {
    await expect(runner.invoke('BrokenEnvironmentFunction', {})).rejects.toThrow(
      new FunctionConfigError(
        'BrokenEnvironmentFunction: !GetAtt Workflow.DomainName: attribute not available locally',
      ),
    );
    expect((await runner.invoke('EchoFunction', {})).functionError).toBeUndefined();
  });

  it('runs invocations of one function concurrently up to the pool size', async () => {
    const results = await Promise.all([1, 2, 3].map((n) => runner.invoke('EchoFunction', { n })));
    expect(results.map((result) => (result.payload as Echo).event)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(new Set(results.map((result) => (result.payload as Echo).pid)).size).toBeLessThanOrEqual(2);

    // Echo answers at once, so the lines above pass with a pool of 1 too. OverlapFunction stays in flight until
    // told to finish, so the test can see how many invocations run at the same moment: exactly the pool size
    // (the default, 2), never fewer (no overlap) and never more (the third waits for a free environment).
    const POOL_SIZE = 2;
    const dir = mkdtempSync(path.join(tmpdir(), 'runner-overlap-'));
    const pidsBefore = new Set(runner.pids);
    const held = [1, 2, 3].map((n) => runner.invoke('OverlapFunction', { n, dir }));
    try {
      const markers = () => readdirSync(dir).filter((name) => name.startsWith('inflight-'));
      // Both environments of the pool start at once; a pool of 1 never gets a second marker and fails here.
      for (const deadline = Date.now() + 4000; markers().length < POOL_SIZE; ) {
        if (Date.now() > deadline)
          throw new Error(
            `only ${markers().length} OverlapFunction invocation(s) in flight after 4 s; expected ${POOL_SIZE} at once`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // A larger pool forks an environment for the third invocation at once, as it is called: none here.
      expect(runner.pids.filter((pid) => !pidsBefore.has(pid))).toHaveLength(POOL_SIZE);
      expect(markers()).toHaveLength(POOL_SIZE);
      writeFileSync(path.join(dir, 'release'), '');
      const overlap = (await Promise.all(held)).map((result) => {
        expect(result.functionError).toBeUndefined();
        return result.payload as {
          event: { n: number };
          pid: number;
          startedAt: number;
          endedAt: number;
          maxInFlight: number;
        };
      });
      expect(overlap.map((result) => result.event.n)).toEqual([1, 2, 3]);
      expect(new Set(overlap.map((result) => result.pid)).size).toBe(POOL_SIZE);
      const maxInFlight = Math.max(...overlap.map((result) => result.maxInFlight));
      expect(maxInFlight).toBeGreaterThan(1);
      expect(maxInFlight).toBe(POOL_SIZE);
      // The same from the invocations' own clocks: at the latest start, how many had started and not yet ended.
      const busiest = Math.max(
        ...overlap.map(
          ({ startedAt }) =>
            overlap.filter((other) => other.startedAt <= startedAt && other.endedAt > startedAt).length,
        ),
      );
      expect(busiest).toBe(POOL_SIZE);
    } finally {
      // On a failure too: let every held invocation finish before the folder goes and the runner closes.
      writeFileSync(path.join(dir, 'release'), '');
      await Promise.allSettled(held);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("continues the caller's trace and records a segment per invocation", async () => {
    const traceHeader = 'Root=1-65f0a000-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
    const { env } = (await runner.invoke('EchoFunction', {}, { traceHeader })).payload as Echo;
    expect(env._X_AMZN_TRACE_ID).toMatch(
      /^Root=1-65f0a000-0123456789abcdef01234567;Parent=(?!89abcdef01234567)[0-9a-f]{16};Sampled=1$/,
    );
    const trace = xray.getTrace('1-65f0a000-0123456789abcdef01234567');
    expect(trace?.segments).toEqual([
      expect.objectContaining({
        name: 'EchoFunction',
        parent_id: '89abcdef01234567',
        origin: 'AWS::Lambda::Function',
        id: env._X_AMZN_TRACE_ID.split(/Parent=|;/)[2],
      }),
    ]);
  });
});

describe('LambdaRunner environment overrides (npm run invoke --env-vars)', () => {
  const endpoints = { dynamodb: 'http://127.0.0.1:1111', ses: 'http://127.0.0.1:2222', sfn: 'http://127.0.0.1:3333' };
  const parameterOverrides = { TestingCentreUrl: 'http://localhost:3000/testcentre/' };
  const environmentOf = (runner: LambdaRunner, functionName: string) =>
    runner.environmentOf(runner.functionConfig(functionName)!);

  it('keeps the local service for an endpoint variable the template declares empty (for sam local invoke --env-vars)', () => {
    const runner = new LambdaRunner({
      template,
      endpoints,
      parameterOverrides,
      codeRoot: path.join(fixtures, 'functions'),
    });

    expect(environmentOf(runner, 'EchoFunction')).toMatchObject({
      AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:2222',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1111',
    });
  });

  it("replaces the named function's template values, endpoint variables included, and no other function's", () => {
    const runner = new LambdaRunner({
      template,
      endpoints,
      parameterOverrides,
      codeRoot: path.join(fixtures, 'functions'),
      environmentOverrides: {
        EchoFunction: { ITEMS_TABLE: 'OtherItems', AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:8005' },
      },
    });

    expect(environmentOf(runner, 'EchoFunction')).toMatchObject({
      ITEMS_TABLE: 'OtherItems',
      AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:8005',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1111',
      SENDER_EMAIL: 'sender@example.com',
    });
    expect(environmentOf(runner, 'ThrowFunction')).toMatchObject({ AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:2222' });
  });
});

describe("LambdaRunner and the packages a bundle leaves External (Lambda's NODE_PATH)", () => {
  it('a CommonJS bundle outside the project finds them in the runtime node_modules, as in Lambda', async () => {
    const codeRoot = mkdtempSync(path.join(tmpdir(), 'runner-external-'));
    const runner = new LambdaRunner({
      template,
      codeRoot,
      parameterOverrides: { TestingCentreUrl: 'http://localhost:3000/testcentre/' },
    });
    try {
      mkdirSync(path.join(codeRoot, 'EchoFunction'));
      writeFileSync(
        path.join(codeRoot, 'EchoFunction', 'app.js'),
        `exports.handler = async () => ({
          resolved: require.resolve('@aws-sdk/credential-provider-ini'),
          fromIni: typeof require('@aws-sdk/credential-provider-ini').fromIni,
        });`,
      );
      const result = await runner.invoke('EchoFunction', {});
      expect(result.functionError).toBeUndefined();
      expect(result.payload).toEqual({
        // Node reports the real path (node_modules may be a link to another checkout's).
        resolved: expect.stringContaining(
          realpathSync(path.join(runtimeNodePath(), '@aws-sdk', 'credential-provider-ini')),
        ),
        fromIni: 'function',
      });
    } finally {
      runner.close();
      rmSync(codeRoot, { recursive: true, force: true });
    }
  });
});

describe("LambdaRunner with the local cloud's clock", () => {
  const WEEK_MS = 7 * 24 * 3600_000;
  let offsetMs = WEEK_MS;
  let runner: LambdaRunner;

  interface Seen {
    loadedAt: number;
    now: number;
    constructed: string;
    called: string;
    subclass: number;
    isDate: boolean;
    parsed: number;
    given: string;
    remaining: number;
  }

  beforeAll(() => {
    runner = new LambdaRunner({
      template,
      codeRoot: path.join(fixtures, 'functions'),
      clock: {
        get offsetMs() {
          return offsetMs;
        },
      },
    });
  });
  afterAll(() => runner.close());

  async function seen(): Promise<{ seen: Seen; from: number; to: number }> {
    const from = Date.now() + offsetMs;
    const result = await runner.invoke('ClockFunction', {});
    const to = Date.now() + offsetMs;
    expect(result.functionError).toBeUndefined();
    return { seen: result.payload as Seen, from, to };
  }

  it("gives the function the clock's time from its init phase on: Date.now(), new Date(), Date() and subclasses", async () => {
    const { seen: time, from, to } = await seen();
    // The cold start loaded the module within this invocation, on the clock's time too.
    expect(time.loadedAt).toBeGreaterThanOrEqual(from);
    for (const read of [time.loadedAt, time.now, Date.parse(time.constructed), time.subclass]) {
      expect(read).toBeGreaterThanOrEqual(from);
      expect(read).toBeLessThanOrEqual(to);
    }
    expect(Date.parse(time.called)).toBeGreaterThanOrEqual(Math.floor(from / 1000) * 1000);
    expect(Date.parse(time.called)).toBeLessThanOrEqual(to);
    expect(time.isDate).toBe(true);
    // Dates the function builds from a value are the value's; the runtime's timeout stays on real time.
    expect(time.parsed).toBe(Date.UTC(2030, 0, 1));
    expect(time.given).toBe('1970-01-01T00:00:00.000Z');
    expect(time.remaining).toBeGreaterThan(4000);
    expect(time.remaining).toBeLessThanOrEqual(5000);
  });

  it('follows the clock when it moves between invocations of a warm function', async () => {
    await seen();
    offsetMs = 2 * WEEK_MS;
    const { seen: time, from, to } = await seen();
    expect(time.now).toBeGreaterThanOrEqual(from);
    expect(time.now).toBeLessThanOrEqual(to);
    expect(time.loadedAt).toBeLessThan(from - WEEK_MS / 2); // the same warm process, loaded a week of clock earlier
  });
});
