import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../../local/cli-config';
import { parseCommandLine } from '../../local/invoke-command-line';
import { PROJECT_ROOT } from '../../local/template/load';

const functions = new Map([
  ['ReserveRoomFunction', new Set(['ROOMS_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB'])],
  ['GetReservationFunction', new Set(['RESERVATIONS_TABLE'])],
]);

/** The caller's working directory (INIT_CWD), with events/reserve.json and events/env.json in it. */
let callerDir: string;
beforeAll(() => {
  callerDir = mkdtempSync(path.join(tmpdir(), 'invoke-caller-'));
  mkdirSync(path.join(callerDir, 'events'));
  writeFileSync(path.join(callerDir, 'events', 'reserve.json'), '{"RoomType": "DELUXE"}');
  writeFileSync(path.join(callerDir, 'broken.json'), '{"Parameters": ');
  writeFileSync(
    path.join(callerDir, 'events', 'env.json'),
    JSON.stringify({
      Parameters: { AWS_ENDPOINT_URL_DYNAMODB: 'http://host.docker.internal:8000' },
      ReserveRoomFunction: { ROOMS_TABLE: 'LocalRooms' },
    }),
  );
});
afterAll(() => rmSync(callerDir, { recursive: true, force: true }));

describe('npm run invoke command line', () => {
  it.each([['-n'], ['--env-vars']])(
    "reads the event and, with %s, the env-vars file, both from the caller's directory",
    (flag) => {
      expect(
        parseCommandLine(
          ['ReserveRoomFunction', '-e', 'events/reserve.json', flag, 'events/env.json'],
          functions,
          callerDir,
        ),
      ).toEqual({
        functionId: 'ReserveRoomFunction',
        event: { RoomType: 'DELUXE' },
        environment: { ROOMS_TABLE: 'LocalRooms', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' },
      });
    },
  );

  it('gives the template environment unchanged and an empty event without the options', () => {
    expect(parseCommandLine(['GetReservationFunction'], functions, callerDir)).toEqual({
      functionId: 'GetReservationFunction',
      event: {},
      environment: {},
    });
  });

  it.each<[string, string[], string]>([
    ['no function', [], 'name the function to invoke'],
    [
      'a function the template does not have',
      ['ReserveRoom'],
      'template.yaml has no function ReserveRoom; its functions are: ReserveRoomFunction, GetReservationFunction',
    ],
    ['an unknown option', ['ReserveRoomFunction', '--env', 'events/env.json'], "Unknown option '--env'"],
    [
      'a missing env-vars file',
      ['ReserveRoomFunction', '-n', 'env.json'],
      'cannot read the env-vars file env.json: no such file',
    ],
    [
      'a missing event file',
      ['ReserveRoomFunction', '-e', 'reserve.json'],
      'cannot read the event file reserve.json: no such file',
    ],
    [
      'an env-vars file that is not JSON',
      ['ReserveRoomFunction', '-n', 'broken.json'],
      'the env-vars file broken.json is not valid JSON',
    ],
  ])('is a usage error for %s', (_case, argv, message) => {
    expect(() => parseCommandLine(argv, functions, callerDir)).toThrow(UsageError);
    expect(() => parseCommandLine(argv, functions, callerDir)).toThrow(message);
  });
});

describe('npm run invoke', () => {
  it('exits 2 with the usage when the env-vars file does not fit the template', async () => {
    writeFileSync(
      path.join(callerDir, 'typo.json'),
      JSON.stringify({ ReserveRoomFunction: { ROOMS_TABEL: 'RoomsTable' } }),
    );

    const run = promisify(execFile)(
      path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [path.join(PROJECT_ROOT, 'local/invoke.ts'), 'ReserveRoomFunction', '-n', 'typo.json'],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, INIT_CWD: callerDir },
      },
    );

    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'npm run invoke: typo.json: ReserveRoomFunction does not declare ROOMS_TABEL in its template Environment',
      ),
    });
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('-n, --env-vars') });
  });
});
