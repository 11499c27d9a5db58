import './support/setup';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/list-incidents/app';
import { lambdaContext, proxyEvent } from './support/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('ListIncidentsFunction');

function incident(IncidentId: string, CreatedAt: string, Exams: object[] = []) {
  return {
    IncidentId,
    StudentId: 's',
    StudentName: 'n',
    StudentEmail: 'e@example.edu',
    IncidentDate: '2030-01-01',
    Status: 'EXAM_SCHEDULED',
    Exams,
    executionArn: `arn:${IncidentId}`,
    CreatedAt,
    UpdatedAt: CreatedAt,
  };
}

const list = () => handler(proxyEvent({ httpMethod: 'GET', resource: '/incidents', path: '/incidents' }), context);

beforeEach(() => ddb.reset());

describe('ListIncidentsFunction', () => {
  it('answers every incident across scan pages, newest first, with no task token', async () => {
    const exam = {
      ExamId: 'e-1',
      Deadline: '2030-01-08T00:00:00.000Z',
      Result: null,
      Score: null,
      TaskToken: 'secret-token',
    };
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [incident('old', '2030-01-01T00:00:00.000Z'), incident('newest', '2030-01-03T00:00:00.000Z', [exam])],
        LastEvaluatedKey: { IncidentId: 'newest' },
      })
      .resolves({ Items: [incident('middle', '2030-01-02T00:00:00.000Z')] });

    const response = await list();

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
    const { Items } = JSON.parse(response.body);
    expect(Items.map((item: { IncidentId: string }) => item.IncidentId)).toEqual(['newest', 'middle', 'old']);
    expect(Items[0].Exams).toEqual([
      { ExamId: 'e-1', Deadline: '2030-01-08T00:00:00.000Z', Result: null, Score: null },
    ]);
    expect(response.body).not.toContain('TaskToken');
    expect(response.body).not.toContain('secret-token');
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(ddb).toHaveReceivedNthSpecificCommandWith(2, ScanCommand, {
      TableName: 'IncidentsTable',
      ExclusiveStartKey: { IncidentId: 'newest' },
    });
  });

  it('answers an empty list when there are no incidents', async () => {
    ddb.on(ScanCommand).resolves({ Items: [] });

    const response = await list();

    expect(JSON.parse(response.body)).toEqual({ Items: [] });
  });

  it('answers 500 InternalServerError when DynamoDB fails', async () => {
    ddb.on(ScanCommand).rejects(new Error('boom'));

    const response = await list();

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body).error).toBe('InternalServerError');
  });
});
