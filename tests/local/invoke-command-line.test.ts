/**
 * `npm run invoke`'s command line, as sam local invoke's: its options, SAM's --parameter-overrides formats, files read
 * from the caller's directory, and its mistakes answered in SAM's words with SAM's exit status (2 for the command
 * line, 1 for what cannot be run).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../../local/cli-config';
import { parseInvokeArguments } from '../../local/invoke-command-line';
import { InvokeError, resolveInvocation } from '../../local/invoke/invocation';
import { runInvoke } from '../../local/invoke/run';
import { parseParameterOverrides } from '../../local/invoke/parameter-overrides';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';

const template = loadTemplate();

/** The caller's working directory (INIT_CWD), with events/reserve.json and events/env.json in it. */
let callerDir: string;
beforeAll(() => {
  callerDir = mkdtempSync(path.join(tmpdir(), 'invoke-caller-'));
  mkdirSync(path.join(callerDir, 'events'));
  writeFileSync(path.join(callerDir, 'events', 'reserve.json'), '{"RoomType": "DELUXE"}');
  writeFileSync(path.join(callerDir, 'broken.json'), '{"Parameters": ');
  writeFileSync(path.join(callerDir, 'params.yaml'), 'Stage: test\nLogRetentionDays: 7\n');
  writeFileSync(
    path.join(callerDir, 'events', 'env.json'),
    JSON.stringify({
      Parameters: { AWS_ENDPOINT_URL_DYNAMODB: 'http://host.docker.internal:8000' },
      ReserveRoomFunction: { ROOMS_TABLE: 'LocalRooms' },
    }),
  );
});
afterAll(() => rmSync(callerDir, { recursive: true, force: true }));

const resolve = (argv: string[], stdin = '') =>
  resolveInvocation(parseInvokeArguments(argv), template, callerDir, () => stdin);

describe('the options', () => {
  it.each([['-n'], ['--env-vars']])(
    "read the event and, with %s, the env-vars file from the caller's directory",
    (flag) => {
      expect(resolve(['ReserveRoomFunction', '-e', 'events/reserve.json', flag, 'events/env.json'])).toMatchObject({
        functionId: 'ReserveRoomFunction',
        event: { RoomType: 'DELUXE' },
        environment: { ROOMS_TABLE: 'LocalRooms', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' },
      });
    },
  );

  it('give {} without -e, with --no-event, and read standard input with -e -', () => {
    expect(resolve(['GetReservationFunction'])).toEqual({
      functionId: 'GetReservationFunction',
      event: {},
      environment: {},
      parameterOverrides: {},
    });
    expect(resolve(['GetReservationFunction', '--no-event']).event).toEqual({});
    expect(resolve(['GetReservationFunction', '-e', '-'], '{"from":"stdin"}').event).toEqual({ from: 'stdin' });
    expect(resolve(['--event=events/reserve.json', 'GetReservationFunction']).event).toEqual({ RoomType: 'DELUXE' });
  });

  it('take the template, the log file and every --parameter-overrides value', () => {
    expect(
      parseInvokeArguments([
        'ReserveRoomFunction',
        '-t',
        'other.yaml',
        '--log-file',
        'out.log',
        '--parameter-overrides',
        'Stage=test',
        'SenderEmail=a@example.com',
        '--parameter-overrides=ParameterKey=LogRetentionDays,ParameterValue=7',
      ]),
    ).toEqual({
      functionId: 'ReserveRoomFunction',
      template: 'other.yaml',
      logFile: 'out.log',
      parameterOverrides: ['Stage=test', 'SenderEmail=a@example.com', 'ParameterKey=LogRetentionDays,ParameterValue=7'],
      help: false,
    });
    // The function may follow the overrides: only pairs and files are theirs.
    expect(parseInvokeArguments(['--parameter-overrides', 'Stage=test', 'ReserveRoomFunction']).functionId).toBe(
      'ReserveRoomFunction',
    );
  });
});

describe("SAM's --parameter-overrides formats", () => {
  it.each<[string, string[], Record<string, string>]>([
    [
      'ParameterKey=,ParameterValue=',
      ['ParameterKey=Stage,ParameterValue=test ParameterKey=SenderEmail,ParameterValue=a@example.com'],
      { Stage: 'test', SenderEmail: 'a@example.com' },
    ],
    [
      'Name=Value pairs, quoted',
      ['Stage=test SenderEmail="a b@example.com"'],
      { Stage: 'test', SenderEmail: 'a b@example.com' },
    ],
    ['later values win', ['Stage=one', 'Stage=two'], { Stage: 'two' }],
    ['a YAML file', ['file://params.yaml'], { Stage: 'test', LogRetentionDays: '7' }],
  ])('%s', (_case, values, expected) => {
    expect(parseParameterOverrides(values, callerDir)).toEqual(expected);
  });

  it('applies them to the invocation, and refuses a parameter the template does not have', () => {
    expect(resolve(['ReserveRoomFunction', '--parameter-overrides', 'Stage=test']).parameterOverrides).toEqual({
      Stage: 'test',
    });
    expect(() => resolve(['ReserveRoomFunction', '--parameter-overrides', 'Stag=test'])).toThrow(
      "Invalid value for '--parameter-overrides': the template has no parameter Stag",
    );
  });
});

describe('mistakes', () => {
  it.each<[string, string[], string]>([
    [
      'an unknown option',
      ['ReserveRoomFunction', '--env', 'x.json'],
      'No such option: --env (Possible options: --env-vars)',
    ],
    ['an option without its value', ['ReserveRoomFunction', '-e'], "Option '-e' requires an argument."],
    ['an option followed by another', ['ReserveRoomFunction', '-e', '--no-event'], "Option '-e' requires an argument."],
    [
      'a Docker option',
      ['ReserveRoomFunction', '--skip-pull-image'],
      "Option '--skip-pull-image' is one of sam local invoke's options for its Docker container",
    ],
    [
      'two functions',
      ['ReserveRoomFunction', 'GetReservationFunction'],
      'Got unexpected extra argument (GetReservationFunction)',
    ],
    ['a flag with a value', ['--no-event=yes'], "Option '--no-event' does not take a value."],
    [
      'a bad override',
      ['ReserveRoomFunction', '--parameter-overrides', 'file://nope.yaml'],
      'file://nope.yaml was not found',
    ],
    [
      'a missing env-vars file',
      ['ReserveRoomFunction', '-n', 'env.json'],
      "Invalid value for '-n' / '--env-vars': File 'env.json' does not exist.",
    ],
  ])('%s is a usage error (exit 2)', (_case, argv, message) => {
    expect(() => resolve(argv)).toThrow(UsageError);
    expect(() => resolve(argv)).toThrow(message);
  });

  it.each<[string, string[], string]>([
    [
      'no function named',
      [],
      "You must provide a function logical ID when there are more than one functions in your template. Possible options in your template: ['ReserveRoomFunction'",
    ],
    [
      'a function the template does not have',
      ['ReserveRoom'],
      'Function ReserveRoom not found in template. Possible options',
    ],
    [
      'a missing event file',
      ['ReserveRoomFunction', '-e', 'reserve.json'],
      'cannot read the event file reserve.json: does not exist',
    ],
    [
      'an event that is not JSON',
      ['ReserveRoomFunction', '-e', 'broken.json'],
      'the event file broken.json is not valid JSON',
    ],
    [
      'an env-vars file that is not JSON',
      ['ReserveRoomFunction', '-n', 'broken.json'],
      'Could not read environment variables overrides from file broken.json',
    ],
  ])('%s cannot be run (exit 1)', (_case, argv, message) => {
    expect(() => resolve(argv)).toThrow(InvokeError);
    expect(() => resolve(argv)).toThrow(message);
  });

  it('lists the functions one per line when none is named', () => {
    expect(() => resolve([])).toThrow(
      /\nFunctions in the template:\n {2}ReserveRoomFunction\n {2}CancelReservationFunction\n/,
    );
  });
});

describe('npm run invoke', () => {
  it('exits 2 with a named error, not the parser text, for a bad option, before anything starts', async () => {
    const run = promisify(execFile)(
      path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [path.join(PROJECT_ROOT, 'local/invoke.ts'), 'ReserveRoomFunction', '--evnt', 'x.json'],
      { cwd: PROJECT_ROOT, env: { ...process.env, INIT_CWD: callerDir } },
    );
    await expect(run).rejects.toMatchObject({
      code: 2,
      stdout: '',
      stderr: "Usage error: No such option: --evnt\nTry 'npm run invoke -- --help' for help.\n",
    });
  }, 60_000);

  /** runInvoke, what local/invoke.ts runs, in-process: its exit status and what it wrote. */
  async function runInProcess(argv: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await runInvoke(argv, {
      cwd: callerDir,
      env: process.env,
      stdout: (text) => {
        out.stdout += text;
      },
      stderr: (text) => {
        out.stderr += text;
      },
      stdin: () => '',
    });
    return { code, ...out };
  }

  it('exits 1 when the env-vars file does not fit the template', async () => {
    writeFileSync(
      path.join(callerDir, 'typo.json'),
      JSON.stringify({ ReserveRoomFunction: { ROOMS_TABEL: 'RoomsTable' } }),
    );
    expect(await runInProcess(['ReserveRoomFunction', '-n', 'typo.json'])).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(
        'typo.json: ReserveRoomFunction does not declare ROOMS_TABEL in its template Environment',
      ),
    });
  });

  it('prints its usage on stdout with --help', async () => {
    const { code, stdout } = await runInProcess(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('-e, --event <file>');
    expect(stdout).toContain('--parameter-overrides');
  });
});
