/**
 * Every file in events/ succeeds under `npm run invoke` on a fresh state: empty tables (the rooms seeded, as a first
 * run makes them), an empty state folder, no Step Functions API. One DynamoDB Local and one SES capture serve every
 * case (the command uses those it finds on its ports, as with npm start running); before each event the tables are
 * dropped and made again. The command runs in-process (runInvoke, what local/invoke.ts runs) with the bundles the
 * test files share, and once as the package's bin, from another folder, piped as `| jq .` would read it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DeleteTableCommand, type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { runInvoke } from '../../local/invoke/run';
import { provisionDynamoDb } from '../../local/provisioning/dynamodb';
import { tableDefinitions } from '../../local/provisioning/tables';
import { dynamoDbClient, startDynamoDbLocal } from '../../local/services/dynamodb-local';
import { freePorts } from '../../local/services/ports';
import type { LocalService } from '../../local/services/service';
import { startSesCapture } from '../../local/services/ses-capture';
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import { functionBundles } from '../support/function-bundles';

jest.setTimeout(120_000);

/** Each event file and the function it is for (env.json is the --env-vars file, not an event). */
const EVENT_FUNCTIONS: Record<string, string> = {
  'cancel.json': 'CancelReservationFunction',
  'get-exam-questions.json': 'GetExamQuestionsFunction',
  'get-incident.json': 'GetIncidentFunction',
  'get-reservation.json': 'GetReservationFunction',
  'list-incidents.json': 'ListIncidentsFunction',
  'reserve.json': 'ReserveRoomFunction',
  'schedule-exam.json': 'ScheduleExamFunction',
  'seed-rooms.json': 'SeedRoomsFunction',
  'send-exam-notification.json': 'SendExamNotificationFunction',
  'submit-exam.json': 'SubmitExamFunction',
  'take-administrative-action.json': 'TakeAdministrativeActionFunction',
};

const template = loadTemplate();
let dynamodb: LocalService;
let ses: LocalService;
let client: DynamoDBClient;
let env: NodeJS.ProcessEnv;
let prebuiltFunctions: string;
const stateDirs: string[] = [];

beforeAll(async () => {
  const [ddbPort, sesPort, sfnPort, apiPort, cognitoPort] = await freePorts(5);
  const bundles = functionBundles();
  [dynamodb, ses] = await Promise.all([
    startDynamoDbLocal({ port: ddbPort }),
    startSesCapture({ port: sesPort }),
    bundles.build(),
  ]);
  prebuiltFunctions = bundles.codeRoot;
  client = dynamoDbClient(dynamodb.endpoint);
  env = {
    ...process.env,
    DDB_PORT: String(ddbPort),
    SES_PORT: String(sesPort),
    // Nothing listens there: the events need no Step Functions API.
    SFN_PORT: String(sfnPort),
    LOCAL_API_PORT: String(apiPort),
    COGNITO_PORT: String(cognitoPort),
  };
});

afterAll(async () => {
  client?.destroy();
  await Promise.all([dynamodb?.stop(), ses?.stop()]);
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh state: the template's tables made anew (rooms seeded), and an empty state folder. */
async function freshState(): Promise<string> {
  for (const table of (await client.send(new ListTablesCommand({}))).TableNames ?? [])
    await client.send(new DeleteTableCommand({ TableName: table }));
  await provisionDynamoDb(client, tableDefinitions(template, new IntrinsicResolver(template, { region: 'us-east-1' })));
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'invoke-events-'));
  stateDirs.push(stateDir);
  return stateDir;
}

async function invoke(argv: string[], stateDir: string) {
  const out = { stdout: '', stderr: '' };
  const code = await runInvoke(argv, {
    cwd: PROJECT_ROOT,
    env: { ...env, LOCAL_STATE_DIR: stateDir },
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    stdin: () => '',
    prebuiltFunctions,
  });
  return { code, ...out };
}

test('every event file has its function here', () => {
  const files = readdirSync(path.join(PROJECT_ROOT, 'events')).filter((file) => file !== 'env.json');
  expect(files.sort()).toEqual(Object.keys(EVENT_FUNCTIONS).sort());
});

test.each(Object.entries(EVENT_FUNCTIONS))('events/%s succeeds with %s on a fresh state', async (file, functionId) => {
  const stateDir = await freshState();

  const { code, stdout, stderr } = await invoke([functionId, '-e', `events/${file}`], stateDir);

  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  const result = JSON.parse(stdout);
  // Only the result on stdout; a function error would be {"errorType", "errorMessage"}, an API answer a 4xx/5xx.
  expect(stdout.trim().split('\n')).toHaveLength(1);
  expect(result).not.toHaveProperty('errorType');
  if ('statusCode' in result) expect(result.statusCode).toBe(200);
  if (file === 'seed-rooms.json') {
    expect(result).toMatchObject({ Status: 'SUCCESS' });
    expect(stderr).toContain('CloudFormation would accept it: SUCCESS for SeedRooms (Create)');
    const recorded = readFileSync(path.join(stateDir, 'cloudformation', 'responses.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(recorded.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        responseUrl: expect.stringMatching(
          /^https:\/\/cloudformation-custom-resource-response-useast1\.s3\.amazonaws\.com\/[^?]+$/,
        ),
        response: expect.objectContaining({
          Status: 'SUCCESS',
          LogicalResourceId: 'SeedRooms',
          Data: { RoomCount: 17 },
        }),
        problems: [],
      }),
    ]);
  }
});

test("the function's Date reads the local cloud's saved clock (.local/sfn/clock.json)", async () => {
  const stateDir = await freshState();
  const offsetMs = 200 * 86_400_000;
  mkdirSync(path.join(stateDir, 'sfn'));
  writeFileSync(path.join(stateDir, 'sfn', 'clock.json'), JSON.stringify({ offsetMs, nowMs: Date.now() + offsetMs }));
  const before = Date.now();

  const { stdout } = await invoke(['ReserveRoomFunction', '-e', 'events/reserve.json'], stateDir);

  const booked = Date.parse(JSON.parse(stdout).Timestamp);
  expect(booked).toBeGreaterThanOrEqual(before + offsetMs);
  expect(booked).toBeLessThan(Date.now() + offsetMs);
});

test('npx sam-local-invoke, from another folder, prints the result alone on stdout', async () => {
  const stateDir = await freshState();
  const { stdout, stderr } = await promisify(execFile)(
    'npx',
    ['--offline', 'sam-local-invoke', 'ReserveRoomFunction', '-e', 'reserve.json'],
    // Not under npm test's npm run: npx says where it was run from itself.
    { cwd: path.join(PROJECT_ROOT, 'events'), env: { ...env, LOCAL_STATE_DIR: stateDir, INIT_CWD: undefined } },
  );
  expect(JSON.parse(stdout)).toMatchObject({ Status: 'CONFIRMED', ReservationId: 'example-reservation-0001' });
  expect(stderr).toContain('Using the DynamoDB running at');
});
