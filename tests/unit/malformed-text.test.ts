/**
 * Regressions found by the generated hostile-input tests (tests/hostile): names with NUL, escape sequences or lone
 * surrogates were accepted, stored (DynamoDB keeps a replacement character, not what was sent) and put in email
 * text; ids with them, or with line breaks, were looked up and echoed in the IncidentNotFound message. They are now
 * a ValidationError naming the field, before anything is read or written. Line breaks stay allowed in names.
 */
import './support/setup';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as reserveRoom } from '../../functions/reserve-room/app';
import { handler as scheduleExam } from '../../functions/schedule-exam/app';
import { handler as sendExamNotification } from '../../functions/send-exam-notification/app';
import { identifier, parseInput, personText } from '../../functions/shared/infrastructure/validation';
import { freezeClock, lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);

/** Malformed anywhere. */
const malformed = [
  ['a lone high surrogate', 'Ada \ud800'],
  ['a lone low surrogate', '\udc00Ada'],
  ['surrogates in the wrong order', 'A\udc00\ud800'],
  ['NUL', 'Ada\u0000Lovelace'],
  ['an escape sequence', 'Ada\u001b[31m'],
  ['DEL', 'Ada\u007f'],
  ['a C1 control', 'Ada\u0085'],
] as const;

/** Text in a name, not in an id. */
const lineBreaks = ['Ada\r\nLovelace', 'Ada\nRoom for two', 'Ada\tLovelace'];

const wellFormed = ['Zoë Ångström', '𝕬𝖉𝖆 😀', 'שלום', '\u202eevil\u202c', '<script>alert(1)</script>'];

beforeEach(() => {
  ddb.reset();
  ses.reset();
  freezeClock('2030-03-01T09:30:00.000Z');
});

afterEach(() => jest.useRealTimers());

describe('personText and identifier', () => {
  it.each(malformed)('refuse %s', (_case, text) => {
    expect(() => parseInput(personText(200), text)).toThrow(/must not contain control characters or lone surrogates/);
    expect(() => parseInput(identifier(200), text)).toThrow(
      /must not contain control characters, line breaks or lone surrogates/,
    );
  });

  it.each(wellFormed)('accept well-formed text such as %j as it is', (text) => {
    expect(parseInput(personText(200), text)).toBe(text);
    expect(parseInput(identifier(200), text)).toBe(text);
  });

  it.each(lineBreaks)('accept line breaks and tabs in a name (%j), not in an id', (text) => {
    expect(parseInput(personText(200), text)).toBe(text);
    expect(() => parseInput(identifier(200), text)).toThrow(/line breaks/);
  });

  it('count a surrogate pair as one well-formed character, at the start and the end of the text', () => {
    expect(parseInput(personText(10), '😀')).toBe('😀');
    expect(parseInput(personText(10), 'a😀')).toBe('a😀');
  });
});

describe('the functions refuse malformed names before touching anything', () => {
  it.each(malformed)('ReserveRoomFunction: GuestName with %s', async (_case, name) => {
    const request = {
      TransactionType: 'Reserve',
      GuestName: name,
      GuestEmail: 'ada@example.com',
      RoomType: 'STANDARD',
      CheckIn: '2030-03-10',
      CheckOut: '2030-03-13',
    };
    await expect(reserveRoom(request, lambdaContext('ReserveRoomFunction'))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('GuestName: must not contain'),
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });

  it.each(malformed)('SendExamNotificationFunction: StudentName with %s', async (_case, name) => {
    const event = {
      IncidentId: 'inc-1',
      ExamId: 'e-1',
      Deadline: '2030-03-08T09:30:00.000Z',
      StudentName: name,
      StudentEmail: 'grace@example.edu',
      TaskToken: 'token',
    };
    await expect(sendExamNotification(event, lambdaContext('SendExamNotificationFunction'))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('StudentName: must not contain'),
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });

  it.each([...malformed, ...lineBreaks.map((text) => ['a line break or tab', text] as const)])(
    'ScheduleExamFunction: IncidentId with %s',
    async (_case, id) => {
      await expect(scheduleExam({ IncidentId: id }, lambdaContext('ScheduleExamFunction'))).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('IncidentId: must not contain'),
      });
      expect(ddb.calls()).toHaveLength(0);
    },
  );
});
