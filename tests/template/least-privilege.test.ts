/**
 * Least privilege, held to its declaration: every permission template.yaml gives any principal (after SAM's
 * transform) must be a row of the permissions table in docs/security.md, with its reason, and every row must still be
 * granted. Also what template.yaml logs in AWS, where nothing local enforces it, and that POST /incident refuses the
 * student addresses the workflow's functions would refuse after answering 200.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import {
  atomKey,
  declaredAtoms,
  declaredRows,
  effectivePermissions,
  type Atom,
} from '../security/support/effective-permissions';

const template = loadTemplate();
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const rows = declaredRows(readFileSync(path.join(PROJECT_ROOT, 'docs/security.md'), 'utf8'));
const effective = effectivePermissions(template);

/**
 * Actions AWS offers no resource-level permission for, so `Resource: '*'` is the only way to grant them: X-Ray's
 * trace and sampling calls and CloudWatch Logs' vended-log delivery (Step Functions logging). The three log actions
 * come from AWSLambdaBasicExecutionRole, which SAM attaches to every function role it creates (docs/security.md).
 */
const wildcardResourceActions = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'logs:DescribeLogStreams',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
]);

const allows = (atoms: Atom[]) => atoms.filter((atom) => atom.effect === 'Allow');
const keys = (atoms: Atom[]) => [...new Set(atoms.map(atomKey))].sort();

describe('template.yaml: least privilege', () => {
  test('the permissions table is well formed: principals, Allow or Deny, actions, resources and a reason in every row', () => {
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const where = `docs/security.md line ${row.line}`;
      expect({
        where,
        principals: row.principals.length > 0,
        actions: row.actions.length > 0,
        resources: row.resources.length > 0,
      }).toEqual({
        where,
        principals: true,
        actions: true,
        resources: true,
      });
      expect({ where, effect: row.effect }).toEqual({ where, effect: expect.stringMatching(/^(Allow|Deny)$/) });
      expect({ where, why: row.why.length >= 10 }).toEqual({ where, why: true });
    }
  });

  test('every principal gets exactly the permissions docs/security.md declares, and no other', () => {
    const declared = keys(declaredAtoms(rows));
    const granted = keys(effective);
    // Listed both ways so a failure says what to declare (with its reason) or what to remove from the table.
    expect({ grantedButNotDeclared: granted.filter((key) => !declared.includes(key)) }).toEqual({
      grantedButNotDeclared: [],
    });
    expect({ declaredButNotGranted: declared.filter((key) => !granted.includes(key)) }).toEqual({
      declaredButNotGranted: [],
    });
  });

  test('the model sees every principal: each function and state machine, the roles, the bucket and topic policies and the API permissions', () => {
    const principals = new Set(effective.map((atom) => atom.principal.split(' → ')[0]));
    const expected = Object.entries(resources)
      .filter(([, resource]) =>
        [
          'AWS::Serverless::Function',
          'AWS::Serverless::StateMachine',
          'AWS::IAM::Role',
          'AWS::S3::BucketPolicy',
          'AWS::SNS::TopicPolicy',
          'AWS::Lambda::Permission',
        ].includes(resource.Type),
      )
      .map(([id]) => id);
    expect([...principals].sort()).toEqual(expected.sort());
  });

  test('the count of incidents needing action: only TakeAdministrativeAction and ScheduleExam write it, only ListIncidents reads it', () => {
    const counterAtoms = effective.filter((atom) => atom.resource === '${IncidentCountsTable.Arn}');
    expect(
      counterAtoms.map((atom) => `${atom.principal} ${atom.effect} ${atom.action} ${atom.condition}`.trim()).sort(),
    ).toEqual([
      'ListIncidentsFunction Allow dynamodb:GetItem',
      'ScheduleExamFunction Allow dynamodb:UpdateItem ForAllValues:StringEquals dynamodb:Attributes Status, IncidentCount',
      'TakeAdministrativeActionFunction Allow dynamodb:UpdateItem ForAllValues:StringEquals dynamodb:Attributes Status, IncidentCount',
    ]);
  });

  test('GET /incidents reads IncidentsTable through its indexes: Query on each index ARN, never a Scan or a Query of the table', () => {
    const indexes = (resources.IncidentsTable.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map(
      (index) => `\${IncidentsTable.Arn}/index/${index.IndexName}`,
    );
    const incidentReads = allows(effective).filter(
      (atom) => atom.principal === 'ListIncidentsFunction' && atom.action.startsWith('dynamodb:'),
    );
    expect(incidentReads.map((atom) => `${atom.action} ${atom.resource}`).sort()).toEqual(
      [
        ...indexes.map((index) => `dynamodb:Query ${index}`),
        'dynamodb:BatchGetItem ${IncidentsTable.Arn}',
        'dynamodb:GetItem ${IncidentCountsTable.Arn}',
      ].sort(),
    );
    expect(indexes.sort()).toEqual(['${IncidentsTable.Arn}/index/ByStatus', '${IncidentsTable.Arn}/index/ByStudent']);
    // Nobody scans any table, and nobody queries the incidents table itself.
    expect(
      allows(effective)
        .filter((atom) => atom.action === 'dynamodb:Scan')
        .map(atomKey),
    ).toEqual([]);
    expect(
      allows(effective)
        .filter((atom) => atom.action === 'dynamodb:Query' && atom.resource === '${IncidentsTable.Arn}')
        .map(atomKey),
    ).toEqual([]);
  });

  test('no Allow names an action with a wildcard (the one s3:* is the Deny of plain-HTTP access)', () => {
    expect(
      allows(effective)
        .filter((atom) => atom.action.includes('*'))
        .map(atomKey),
    ).toEqual([]);
    expect(effective.filter((atom) => atom.action.includes('*')).map(atomKey)).toEqual([
      'WebBucketPolicy → * | Deny | s3:* | ${WebBucket.Arn} | Bool aws:SecureTransport false',
      'WebBucketPolicy → * | Deny | s3:* | ${WebBucket.Arn}/* | Bool aws:SecureTransport false',
    ]);
  });

  test("Resource '*' is allowed only for actions AWS offers no resource-level permission for", () => {
    const wildcards = allows(effective).filter((atom) => atom.resource === '*');
    expect(wildcards.filter((atom) => !wildcardResourceActions.has(atom.action)).map(atomKey)).toEqual([]);
  });

  test('no SAM policy template is used: every statement is written out where it is reviewed', () => {
    const policies = Object.entries(resources)
      .filter(
        ([, resource]) =>
          resource.Type === 'AWS::Serverless::Function' || resource.Type === 'AWS::Serverless::StateMachine',
      )
      .flatMap(([id, resource]) =>
        [resource.Properties.Policies ?? []].flat().map((entry: unknown) => ({ id, entry })),
      );
    const templates = policies.filter(
      ({ entry }) => typeof entry === 'object' && entry !== null && !('Statement' in entry) && !('Ref' in entry),
    );
    expect(templates).toEqual([]);
  });
});

describe('template.yaml: logs', () => {
  test.each(['CallCentreStateMachine', 'PlagiarismStateMachine'])(
    '%s logs every event but no execution data (guest and student data; the plagiarism task parameters carry the task token)',
    (id) => {
      const logging = resources[id].Properties.Logging;
      expect(logging.Level).toBe('ALL');
      expect(logging.IncludeExecutionData).toBe(false);
    },
  );
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
