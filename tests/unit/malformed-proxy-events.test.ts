/**
 * Regression found by the generated hostile-input tests (tests/hostile): a proxy function invoked with an event
 * that is no API Gateway proxy event (null, a string, pathParameters that are not an object of strings) read
 * `event.pathParameters` of null or the like and answered 500 InternalServerError. It is a 400 ValidationError,
 * and nothing is read.
 */
import './support/setup';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { handler as getIncident } from '../../functions/get-incident/app';
import { handler as getReservation } from '../../functions/get-reservation/app';
import { handler as listIncidents } from '../../functions/list-incidents/app';
import { handler as submitExam } from '../../functions/submit-exam/app';
import { lambdaContext } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => ddb.reset());

const handlers = [
  ['GetIncidentFunction', getIncident],
  ['GetReservationFunction', getReservation],
  ['ListIncidentsFunction', listIncidents],
  ['SubmitExamFunction', submitExam],
] as const;

const malformedEvents: Array<[string, unknown]> = [
  ['null', null],
  ['a string', 'GET /incidents'],
  ['an array', []],
  ['pathParameters that are a number', { pathParameters: 42 }],
  ['a path parameter that is not a string', { pathParameters: { IncidentId: 42, ReservationId: 42 } }],
  ['queryStringParameters that are an array', { queryStringParameters: [] }],
  ['a body that is an object', { body: { IncidentId: 'x' } }],
  ['isBase64Encoded that is a string', { isBase64Encoded: 'yes' }],
];

describe.each(handlers)('%s', (name, handler) => {
  it.each(malformedEvents)('answers 400 ValidationError to an event with %s, reading nothing', async (_case, event) => {
    const response = await handler(event as APIGatewayProxyEvent, lambdaContext(name));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'ValidationError',
      message: expect.stringMatching(/^Invalid request: /),
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});

/**
 * Regression found by the generated hostile-input tests: zod drops `__proto__` keys silently, so an exam submitted
 * with `"Answers": {"__proto__": "a"}` was scored as an empty answer sheet (FAILED) instead of refused like any other
 * answer to no question. The body parser refuses the key wherever it is, before anything is read.
 */
describe('a body with a __proto__ key', () => {
  it.each([
    ['in the answers', '{"IncidentId":"i-1","ExamId":"e-1","TaskToken":"t","Answers":{"__proto__":"a"}}'],
    ['at the top', '{"__proto__":{"IncidentId":"i-1"},"IncidentId":"i-1","ExamId":"e-1","TaskToken":"t","Answers":{}}'],
    [
      'deep inside',
      '{"IncidentId":"i-1","ExamId":"e-1","TaskToken":"t","Answers":{"q1":"a"},"x":[{"__proto__":null}]}',
    ],
  ])('is refused with 400 ValidationError when %s, reading nothing', async (_case, body) => {
    const response = await submitExam(
      { body, isBase64Encoded: false } as APIGatewayProxyEvent,
      lambdaContext('SubmitExamFunction'),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'ValidationError',
      message: 'The request body must not contain a "__proto__" key',
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});
