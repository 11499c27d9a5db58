/**
 * What template.yaml grants and logs in AWS, where nothing local enforces it: the task token (the student's
 * credential) stays out of the state machine's logs, email can only be sent as SenderEmail, each function may do
 * to the room-nights only what it needs, and POST /incident refuses the student addresses that the workflow's
 * functions would refuse after answering 200.
 */
import * as z from 'zod';
import { loadTemplate } from '../../local/template/load';

const template = loadTemplate();
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

/** Every IAM statement of a function's Policies that is written out inline (not a SAM policy template). */
function inlineStatements(logicalId: string): Array<{ Action: string | string[]; Resource: unknown }> {
  return (resources[logicalId].Properties.Policies as any[]).flatMap((policy) => policy.Statement ?? []);
}
const actions = (statement: { Action: string | string[] }) => [statement.Action].flat();
const samPolicyNames = (logicalId: string) =>
  (resources[logicalId].Properties.Policies as any[]).flatMap((policy) => (typeof policy === 'object' ? Object.keys(policy) : []));

describe('template.yaml: secrets and least privilege', () => {
  test('the plagiarism workflow logs every event but no execution data, since its task parameters carry the task token', () => {
    const logging = resources.PlagiarismStateMachine.Properties.Logging;
    expect(logging.Level).toBe('ALL');
    expect(logging.IncludeExecutionData).toBe(false);
  });

  test('email can be sent only from SenderEmail, even where its whole domain is a verified identity', () => {
    const [statement] = resources.SendFromSenderEmailPolicy.Properties.PolicyDocument.Statement;
    expect(actions(statement).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': { Ref: 'SenderEmail' } } });
  });

  test('no function gets DynamoDBCrudPolicy (it grants Scan, Delete and batch writes nobody needs)', () => {
    const functions = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::Serverless::Function');
    expect(functions.filter((id) => samPolicyNames(id).includes('DynamoDBCrudPolicy'))).toEqual([]);
  });

  test('ReserveRoomFunction may read and hold room-nights but never free one; CancelReservationFunction only frees them', () => {
    const roomNights = { 'Fn::GetAtt': ['RoomNightsTable', 'Arn'] };
    const onRoomNights = (id: string) =>
      inlineStatements(id)
        .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(roomNights))
        .flatMap(actions)
        .sort();
    expect(onRoomNights('ReserveRoomFunction')).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    expect(onRoomNights('CancelReservationFunction')).toEqual(['dynamodb:DeleteItem']);
  });
});

describe('POST /incident: StudentEmail', () => {
  const schema = (template.Resources.Api.Properties!.DefinitionBody as any).components.schemas.IncidentRequest;
  // As ajv and API Gateway compile a JSON Schema pattern: unanchored search, here with the unicode flag.
  const pattern = new RegExp(schema.properties.StudentEmail.pattern, 'u');

  test.each([
    'sob@example.edu',
    "siobhan.o'brien@mail.uni.ac.uk",
    'first+tag@example.io',
    'x@y.c',
    'two..dots@example.com',
    '.leading@example.com',
    'trailing.@example.com',
    'ü@example.com',
    'a@-example.com',
    'no-domain@localhost',
    'a b@example.com',
    '"quoted"@example.com',
  ])('%s is accepted by the API exactly when the workflow functions (z.email()) accept it', (address) => {
    expect(pattern.test(address)).toBe(z.email().safeParse(address).success);
  });
});
