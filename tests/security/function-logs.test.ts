/**
 * The functions' logs carry ids, not people or credentials (docs/security.md, section 5): with every log line
 * enabled, and even with POWERTOOLS_LOGGER_LOG_EVENT=true, no line holds a task token, a student's email or name.
 */
import '../unit/support/setup';
import './support/log-everything';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import bank from '../../data/exam-questions.json';
import { handler as sendExamNotification } from '../../functions/send-exam-notification/app';
import { logger } from '../../functions/shared/infrastructure/logger';
import { handler as submitExam } from '../../functions/submit-exam/app';
import { freezeClock, lambdaContext, proxyEvent } from '../unit/support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const ses = mockClient(SESClient);

const token = 'AQCEAAAAKgAAAA-secret-task-token-e2';
const student = { StudentName: 'Grace Hopper', StudentEmail: 'grace.hopper@example.edu' };
const pending = { ExamId: 'e-2', Deadline: '2030-03-08T09:30:00.000Z', Result: null, Score: null, TaskToken: token };
const incident = { IncidentId: 'inc-1', StudentId: 's-1', ...student, Status: 'EXAM_SCHEDULED', Exams: [pending] };
const answers = Object.fromEntries(bank.map((question) => [question.QuestionId, question.Answer]));

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  // Powertools writes each record as one JSON line to stdout (stderr for warnings and errors).
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  }
  ddb.reset();
  sfn.reset();
  ses.reset();
  ddb.on(GetCommand).resolves({ Item: incident });
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

/** Checks everything logged so far; a last probe line proves the capture was still listening. */
function expectNoSecretsOrPeople(): void {
  logger.info('capture probe');
  const output = lines.join('');
  expect(output).toContain('"capture probe"');
  expect(output).not.toContain(token);
  expect(output).not.toContain(student.StudentEmail);
  expect(output).not.toContain(student.StudentName);
}

describe('function logs', () => {
  test('the capture sees what the shared logger writes, and the environment asks for events (so the checks below are not vacuous)', () => {
    logger.info('probe', { IncidentId: 'inc-1' });
    expect(lines.join('')).toContain('"probe"');
    expect(logger.getLogEvent()).toBe(true);
    expect(logger.getLevelName()).toBe('DEBUG');
  });

  test('SubmitExam logs a failed withdrawal with its ids, never the task token it was given', async () => {
    // The execution was stopped: the result just recorded is withdrawn, and that fails.
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    ddb.on(UpdateCommand).resolvesOnce({}).rejects(new Error('DynamoDB unavailable'));

    const response = await submitExam(
      proxyEvent({
        httpMethod: 'POST',
        resource: '/exam',
        path: '/exam',
        body: JSON.stringify({ IncidentId: 'inc-1', ExamId: 'e-2', TaskToken: token, Answers: answers }),
      }),
      lambdaContext('SubmitExamFunction'),
    );

    expect(response.statusCode).toBe(410);
    const output = lines.join('');
    expect(output).toContain('Could not withdraw a result no workflow will take');
    expect(output).toContain('inc-1');
    expectNoSecretsOrPeople();
  });

  test('SendExamNotification does not log its event (the task token, the student) even when the environment asks for it', async () => {
    ddb.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });

    await sendExamNotification(
      { IncidentId: 'inc-1', ExamId: 'e-2', Deadline: pending.Deadline, ...student, TaskToken: token },
      lambdaContext('SendExamNotificationFunction'),
    );

    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(lines.join('')).not.toContain('Lambda invocation event');
    expectNoSecretsOrPeople();
  });
});
