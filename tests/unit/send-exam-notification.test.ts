import './support/setup';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/send-exam-notification/app';
import { freezeClock, lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const context = lambdaContext('SendExamNotificationFunction');

const token = 'AQCEAAAAKgAAAA+/token==&x';
const event = {
  IncidentId: 'inc-1',
  ExamId: 'e-2',
  Deadline: '2030-03-08T09:30:00.000Z',
  StudentName: 'Grace <b>Hopper</b>',
  StudentEmail: 'grace@example.edu',
  TaskToken: token,
};
const incident = {
  IncidentId: 'inc-1',
  StudentName: 'Grace <b>Hopper</b>',
  Exams: [
    { ExamId: 'e-2', Deadline: '2030-03-08T09:30:00.000Z', Result: null, Score: null },
    { ExamId: 'e-1', Deadline: '2030-02-28T00:00:00.000Z', Result: 'FAILED', Score: 40 },
  ],
};

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ddb.on(GetCommand).resolves({ Item: incident });
  ddb.on(UpdateCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => {
  jest.useRealTimers();
  process.env.TESTING_CENTRE_URL = 'https://exams.example.com/testcentre/';
});

function sentEmail() {
  const input = ses.commandCalls(SendEmailCommand)[0].args[0].input;
  return { input, text: input.Message!.Body!.Text!.Data!, html: input.Message!.Body!.Html!.Data! };
}

describe('SendExamNotificationFunction', () => {
  it('stores the task token on that exam, then emails the student the Testing Centre link', async () => {
    const result = await handler(event, context);

    expect(result).toEqual({ IncidentId: 'inc-1', ExamId: 'e-2', NotifiedAt: '2030-03-01T09:30:00.000Z' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'IncidentsTable',
      Key: { IncidentId: 'inc-1' },
      UpdateExpression: 'SET Exams[0].TaskToken = :token, UpdatedAt = :now',
      ConditionExpression: 'Exams[0].ExamId = :examId',
      ExpressionAttributeValues: { ':token': token, ':examId': 'e-2', ':now': '2030-03-01T09:30:00.000Z' },
    });
    const { input, text, html } = sentEmail();
    expect(input).toMatchObject({ Source: 'noreply@example.com', Destination: { ToAddresses: ['grace@example.edu'] } });
    const link = `https://exams.example.com/testcentre/?IncidentId=inc-1&ExamId=e-2&TaskToken=${encodeURIComponent(token)}`;
    expect(text).toContain(link);
    expect(text).toMatch(/Friday,? 8 March 2030 at 09:30 UTC/);
    const parsed = new URL(text.split('\n').find((line) => line.startsWith('https://'))!);
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ IncidentId: 'inc-1', ExamId: 'e-2', TaskToken: token });
    expect(html).toContain(`<a href="${link.replaceAll('&', '&amp;')}">`);
    expect(html).toContain('Dear Grace &lt;b&gt;Hopper&lt;/b&gt;,');
    expect(html).not.toContain('<b>Hopper');
  });

  it('addresses the exam by its position in the list', async () => {
    await handler({ ...event, ExamId: 'e-1' }, context);

    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET Exams[1].TaskToken = :token, UpdatedAt = :now',
      ConditionExpression: 'Exams[1].ExamId = :examId',
    });
  });

  it('keeps the query string a TESTING_CENTRE_URL already has', async () => {
    process.env.TESTING_CENTRE_URL = 'http://localhost:3000/testcentre/?lang=en';

    await handler(event, context);

    expect(sentEmail().text).toContain('http://localhost:3000/testcentre/?lang=en&IncidentId=inc-1&ExamId=e-2&TaskToken=');
  });

  it('throws ExamNotFound, sending nothing, for an exam the incident does not have', async () => {
    await expect(handler({ ...event, ExamId: 'e-9' }, context)).rejects.toMatchObject({ name: 'ExamNotFound' });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('throws IncidentNotFound for an unknown incident', async () => {
    ddb.on(GetCommand).resolves({});

    await expect(handler(event, context)).rejects.toMatchObject({ name: 'IncidentNotFound' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('fails the task when the email cannot be sent, so the workflow can retry', async () => {
    ses.on(SendEmailCommand).rejects(new Error('SES is down'));

    await expect(handler(event, context)).rejects.toThrow('SES is down');
  });

  it('fails clearly, changing nothing, when TESTING_CENTRE_URL is not an absolute URL', async () => {
    process.env.TESTING_CENTRE_URL = '/testcentre/';

    await expect(handler(event, context)).rejects.toThrow('TESTING_CENTRE_URL must be an absolute URL');
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    [{ TaskToken: undefined }, 'TaskToken is required'],
    [{ StudentEmail: 'nobody' }, 'StudentEmail'],
    [{ Deadline: 'next week' }, 'Deadline'],
  ])('rejects %j with a ValidationError', async (change, message) => {
    await expect(handler({ ...event, ...change }, context)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(message),
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });
});
