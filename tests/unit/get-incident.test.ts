import './support/setup';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/get-incident/app';
import { lambdaContext, proxyEvent } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('GetIncidentFunction');

const get = (pathParameters: Record<string, string> | null) =>
  handler(proxyEvent({ httpMethod: 'GET', resource: '/incidents/{IncidentId}', pathParameters }), context);

const stored = {
  IncidentId: 'inc-1',
  StudentId: 's-1',
  StudentName: 'Grace Hopper',
  StudentEmail: 'grace@example.edu',
  IncidentDate: '2030-02-20',
  Description: 'Copied essay',
  Status: 'EXAM_SCHEDULED',
  Exams: [
    {
      ExamId: 'e-2',
      Deadline: '2030-03-08T00:00:00.000Z',
      Result: 'PASSED',
      Score: 83,
      TaskToken: 'secret-2',
      SubmittedAt: '2030-03-02T00:00:00.000Z',
    },
    { ExamId: 'e-1', Deadline: '2030-02-28T00:00:00.000Z', Result: 'FAILED', Score: 42, TaskToken: 'secret-1' },
  ],
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:inc-1',
  CreatedAt: '2030-02-21T00:00:00.000Z',
  UpdatedAt: '2030-03-02T00:00:00.000Z',
};

beforeEach(() => ddb.reset());

describe('GetIncidentFunction', () => {
  it('answers 200 with the incident and its exams, without task tokens', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });

    const response = await get({ IncidentId: 'inc-1' });

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      ...stored,
      Exams: [
        {
          ExamId: 'e-2',
          Deadline: '2030-03-08T00:00:00.000Z',
          Result: 'PASSED',
          Score: 83,
          SubmittedAt: '2030-03-02T00:00:00.000Z',
        },
        { ExamId: 'e-1', Deadline: '2030-02-28T00:00:00.000Z', Result: 'FAILED', Score: 42 },
      ],
    });
    expect(response.body).not.toContain('secret');
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'IncidentsTable',
      Key: { IncidentId: 'inc-1' },
      ConsistentRead: true,
    });
  });

  it('answers 404 IncidentNotFound for an unknown id', async () => {
    ddb.on(GetCommand).resolves({});

    const response = await get({ IncidentId: 'nope' });

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: 'IncidentNotFound', message: 'There is no incident nope.' });
  });

  it('answers 400 ValidationError without the path parameter', async () => {
    const response = await get(null);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error).toBe('ValidationError');
    expect(ddb.calls()).toHaveLength(0);
  });
});
