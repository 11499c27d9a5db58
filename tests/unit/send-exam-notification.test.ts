import './support/setup';
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/send-exam-notification/app';
import { ServiceUnavailable } from '../../functions/shared/infrastructure/errors';
import { logger } from '../../functions/shared/infrastructure/logger';
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
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
/** The incident once the email for `taskToken` went out for exam e-2 (what the function records). */
function notifiedWith(taskToken: string) {
  const [newest, ...older] = incident.Exams;
  return {
    ...incident,
    Exams: [
      { ...newest, TaskToken: taskToken, NotifiedAt: '2030-03-01T08:00:00.000Z', NotifiedTokenHash: sha256(taskToken) },
      ...older,
    ],
  };
}
const storeToken = { UpdateExpression: 'SET Exams[0].TaskToken = :token, UpdatedAt = :now' };
const recordEmail = {
  TableName: 'IncidentsTable',
  Key: { IncidentId: 'inc-1' },
  UpdateExpression: 'SET Exams[0].NotifiedAt = :notifiedAt, Exams[0].NotifiedTokenHash = :tokenHash',
  ConditionExpression:
    'Exams[0].ExamId = :examId AND Exams[0].TaskToken = :token AND (attribute_not_exists(Exams[0].NotifiedTokenHash) OR Exams[0].NotifiedTokenHash <> :tokenHash)',
  ExpressionAttributeValues: {
    ':notifiedAt': '2030-03-01T09:30:00.000Z',
    ':tokenHash': sha256(token),
    ':examId': 'e-2',
    ':token': token,
  },
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

function sentEmail(index = 0) {
  const input = ses.commandCalls(SendEmailCommand)[index].args[0].input;
  return { input, text: input.Message!.Body!.Text!.Data!, html: input.Message!.Body!.Html!.Data! };
}

describe('SendExamNotificationFunction', () => {
  it('stores the task token on that exam, emails the student the Testing Centre link, then records the email', async () => {
    const steps: string[] = [];
    ddb
      .on(UpdateCommand)
      .callsFake((input) => void steps.push(input.UpdateExpression.includes('NotifiedAt') ? 'record' : 'store'));
    ses.on(SendEmailCommand).callsFake(() => {
      steps.push('send');
      return { MessageId: 'm-1' };
    });

    const result = await handler(event, context);

    expect(steps).toEqual(['store', 'send', 'record']);

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
    // The record keeps the token's hash, never the token: it is named only in the condition, as it is stored.
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, recordEmail);
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

    expect(sentEmail().text).toContain(
      'http://localhost:3000/testcentre/?lang=en&IncidentId=inc-1&ExamId=e-2&TaskToken=',
    );
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

  it('fails the task when the email cannot be sent, so the workflow can retry, recording no email', async () => {
    ses.on(SendEmailCommand).rejects(new Error('SES is down'));

    await expect(handler(event, context)).rejects.toThrow('SES is down');
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, storeToken);
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

  describe('once per task token', () => {
    it('sends nothing and changes nothing when the email for this very token already went out (a resumed invocation)', async () => {
      ddb.on(GetCommand).resolves({ Item: notifiedWith(token) });

      const result = await handler(event, context);

      expect(result).toEqual({ IncidentId: 'inc-1', ExamId: 'e-2', NotifiedAt: '2030-03-01T08:00:00.000Z' });
      expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
      expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
      expect(ddb).toHaveReceivedCommandWith(GetCommand, {
        TableName: 'IncidentsTable',
        Key: { IncidentId: 'inc-1' },
        ConsistentRead: true,
      });
    });

    it('emails the new link of a retried task: Step Functions gives each attempt a token of its own', async () => {
      ddb.on(GetCommand).resolves({ Item: notifiedWith('the first attempt token') });

      await handler(event, context);

      expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
      expect(sentEmail().text).toContain(`TaskToken=${encodeURIComponent(token)}`);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        ...storeToken,
        ExpressionAttributeValues: expect.objectContaining({ ':token': token }),
      });
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, recordEmail);
    });

    it("emails a resit's exam although an earlier exam of the incident was emailed: each exam has its own record", async () => {
      const resit = {
        ...incident,
        Exams: [
          incident.Exams[0],
          {
            ...incident.Exams[1],
            TaskToken: token,
            NotifiedAt: '2030-02-21T00:00:00.000Z',
            NotifiedTokenHash: sha256(token),
          },
        ],
      };
      ddb.on(GetCommand).resolves({ Item: resit });

      await handler(event, context);

      expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, recordEmail);
    });

    it('does not fail the task when the sent email cannot be recorded: the student has a working link', async () => {
      const logged = jest.spyOn(logger, 'error');
      ddb.on(UpdateCommand, storeToken).resolves({});
      ddb
        .on(UpdateCommand, { UpdateExpression: recordEmail.UpdateExpression })
        .rejects(new ServiceUnavailable('DynamoDB is down'));

      const result = await handler(event, context);

      // Failing it would make the Retry issue a new token, email a second link and disable the first.
      expect(result).toEqual({ IncidentId: 'inc-1', ExamId: 'e-2', NotifiedAt: '2030-03-01T09:30:00.000Z' });
      expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, recordEmail);
      expect(logged).toHaveBeenCalledWith(
        expect.stringContaining('could not be recorded'),
        expect.objectContaining({ record: { incidentId: 'inc-1', examId: 'e-2', index: 0 } }),
      );
      expect(JSON.stringify(logged.mock.calls)).not.toContain(token);
    });

    it('sends the email again when invoked with the same token after it could not be recorded: at least once, never lost', async () => {
      ddb
        .on(UpdateCommand, { UpdateExpression: recordEmail.UpdateExpression })
        .rejectsOnce(new ServiceUnavailable('DynamoDB is down'))
        .resolves({});

      await handler(event, context);
      await handler(event, context);

      expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 2);
      expect(sentEmail(1).text).toBe(sentEmail(0).text);
      expect(ddb).toHaveReceivedNthSpecificCommandWith(4, UpdateCommand, recordEmail);
    });

    it('records nothing, without failing, when the exam no longer waits for this token or its email is recorded already', async () => {
      const warned = jest.spyOn(logger, 'warn');
      ddb
        .on(UpdateCommand, { UpdateExpression: recordEmail.UpdateExpression })
        .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

      await expect(handler(event, context)).resolves.toMatchObject({ IncidentId: 'inc-1', ExamId: 'e-2' });
      expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
      expect(warned).toHaveBeenCalledWith(expect.stringContaining('no longer waits'), expect.anything());
    });

    it('fails like any other read when the exam record cannot be read, sending nothing', async () => {
      ddb.on(GetCommand).rejects(new ServiceUnavailable('DynamoDB is down'));

      await expect(handler(event, context)).rejects.toMatchObject({ name: 'ServiceUnavailable' });
      expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    });
  });
});
