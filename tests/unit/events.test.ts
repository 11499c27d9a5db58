/**
 * Every file in events/ is a valid event for its function (the one `npm run invoke` and `sam local invoke` use):
 * run against the real clock and mocked AWS, each handler accepts it and succeeds.
 */
import './support/setup';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const sfn = mockClient(SFNClient);

function event(file: string) {
  return JSON.parse(readFileSync(path.join(__dirname, '../../events', file), 'utf8'));
}

const notification = event('send-exam-notification.json');
const incident = {
  IncidentId: notification.IncidentId,
  StudentId: 's-1',
  StudentName: notification.StudentName,
  StudentEmail: notification.StudentEmail,
  IncidentDate: '2030-06-01',
  Status: 'EXAM_SCHEDULED',
  Exams: [
    {
      ExamId: notification.ExamId,
      Deadline: notification.Deadline,
      Result: null,
      Score: null,
      TaskToken: notification.TaskToken,
    },
  ],
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:example-incident-0001',
  CreatedAt: '2030-06-01T00:00:00.000Z',
  UpdatedAt: '2030-06-01T00:00:00.000Z',
};
const reservation = {
  ...event('reserve.json'),
  RoomNumber: '201',
  Nights: 3,
  Status: 'CONFIRMED',
  CreatedAt: '2030-06-01T00:00:00.000Z',
};

beforeEach(() => {
  ddb.reset();
  ses.reset();
  sfn.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  sfn.on(SendTaskSuccessCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(ScanCommand).resolves({ Items: [incident] });
  ddb.on(QueryCommand, { IndexName: 'ByRoomType' }).resolves({ Items: [{ RoomNumber: '201' }] });
  ddb.on(QueryCommand, { TableName: 'RoomNightsTable' }).resolves({ Count: 0 });
  ddb.on(QueryCommand, { IndexName: 'ByStatus' }).resolves({ Items: [] });
});

type Case = [file: string, app: string, stored: object | undefined, expected: object];

describe.each<Case>([
  ['reserve.json', 'reserve-room', undefined, { Status: 'CONFIRMED', RoomNumber: '201' }],
  ['cancel.json', 'cancel-reservation', reservation, { Status: 'CANCELLED' }],
  ['get-reservation.json', 'get-reservation', reservation, { statusCode: 200 }],
  ['schedule-exam.json', 'schedule-exam', { ...incident, Exams: [] }, { ExamCount: 1 }],
  ['send-exam-notification.json', 'send-exam-notification', incident, { ExamId: notification.ExamId }],
  ['take-administrative-action.json', 'take-administrative-action', incident, { Status: 'ADMIN_ACTION_REQUIRED' }],
  ['submit-exam.json', 'submit-exam', incident, { statusCode: 200 }],
  ['get-exam-questions.json', 'get-exam-questions', undefined, { statusCode: 200 }],
  ['list-incidents.json', 'list-incidents', undefined, { statusCode: 200 }],
  ['get-incident.json', 'get-incident', incident, { statusCode: 200 }],
  ['seed-rooms.json', 'seed-rooms', undefined, { Status: 'SUCCESS' }],
])('events/%s', (file, app, stored, expected) => {
  it(`is accepted by functions/${app}`, async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    // The CloudFormation response URL is on S3: answer it here instead.
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('', { status: 200 }));
    const { handler } = await import(`../../functions/${app}/app`);

    const result = await handler(event(file), lambdaContext());

    expect(result).toMatchObject(expected);
    fetchSpy.mockRestore();
  });
});

it('events/submit-exam.json answers every question correctly', async () => {
  ddb.on(GetCommand).resolves({ Item: incident });
  const { handler } = await import('../../functions/submit-exam/app');

  const result = await handler(event('submit-exam.json'), lambdaContext());

  expect(JSON.parse(result.body)).toMatchObject({ Score: 100, Passed: true });
});
