/**
 * What IAM grants each principal of template.yaml once SAM has transformed it, as flat "atoms" (one principal, one
 * effect, one action, one resource, one condition), and the same atoms read from the declaration table in
 * docs/security.md. Written here because no library models SAM's implicit policies; the SAM policy templates come from
 * SAM's own list (schemas/sam/policy_templates.json), the two AWS managed policies SAM attaches are written out below.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serverlessFunction } from '../../../local/template/functions';
import { PROJECT_ROOT, type Template } from '../../../local/template/load';

export interface Atom {
  principal: string;
  effect: 'Allow' | 'Deny';
  action: string;
  resource: string;
  condition: string;
}

interface Statement {
  Effect?: string;
  Action?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

/**
 * The AWS managed policies SAM attaches by itself: AWSLambdaBasicExecutionRole to every function role it creates,
 * AWSXrayWriteOnlyAccess with `Tracing: Active` (functions) or `Tracing.Enabled` (state machines); and the one the
 * template attaches to API Gateway's logging role (its statements as AWS publishes them).
 */
export const AWS_MANAGED_POLICIES: Record<string, Statement[]> = {
  AWSLambdaBasicExecutionRole: [
    { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
  ],
  AWSXrayWriteOnlyAccess: [
    {
      Effect: 'Allow',
      Action: [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:GetSamplingStatisticSummaries',
      ],
      Resource: '*',
    },
  ],
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs': [
    {
      Effect: 'Allow',
      Action: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
        'logs:GetLogEvents',
        'logs:FilterLogEvents',
      ],
      Resource: '*',
    },
  ],
};

/** A template value as `!Sub` would write it: `${X}` for a Ref, `${X.Arn}` for a GetAtt. */
export function show(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(show).join(', ');
  const object = (value ?? {}) as Record<string, any>;
  if ('Ref' in object) return `\${${object.Ref}}`;
  if ('Fn::GetAtt' in object) {
    const target = object['Fn::GetAtt'];
    return `\${${Array.isArray(target) ? target.join('.') : target}}`;
  }
  if ('Fn::Sub' in object) {
    const sub = object['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    const [text, variables] = sub as [string, Record<string, unknown>];
    return text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) =>
      name in variables ? show(variables[name]) : whole,
    );
  }
  const [name] = Object.keys(object);
  if (name?.startsWith('Fn::')) return `${name.slice(4)}(${[object[name]].flat().map(show).join(', ')})`;
  return JSON.stringify(value);
}

function showCondition(condition: Statement['Condition']): string {
  return Object.entries(condition ?? {})
    .flatMap(([operator, keys]) => Object.entries(keys).map(([key, values]) => `${operator} ${key} ${show(values)}`))
    .join('; ');
}

function atoms(principal: string, statements: Statement[]): Atom[] {
  return statements.flatMap((statement) => {
    const effect = statement.Effect === 'Deny' ? 'Deny' : 'Allow';
    const condition = showCondition(statement.Condition);
    return [statement.Action ?? []]
      .flat()
      .flatMap((action) =>
        [statement.Resource ?? []]
          .flat()
          .map(
            (resource) => ({ principal, effect, action: show(action), resource: show(resource), condition }) as Atom,
          ),
      );
  });
}

/** SAM's policy templates with their parameters put in (`{Ref: 'TableName'}` becomes the given value). */
function expandPolicyTemplate(name: string, parameters: Record<string, unknown>): Statement[] {
  const templates = JSON.parse(
    readFileSync(path.join(PROJECT_ROOT, 'schemas/sam/policy_templates.json'), 'utf8'),
  ).Templates;
  const known = templates[name];
  if (!known) throw new Error(`${name} is not a SAM policy template`);
  const put = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(put);
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (Object.keys(object).length === 1 && typeof object.Ref === 'string' && object.Ref in parameters)
        return parameters[object.Ref];
      return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, put(inner)]));
    }
    return value;
  };
  return (put(known.Definition) as { Statement: Statement[] }).Statement;
}

/** The statements one `Policies` entry of a SAM function or state machine grants. */
function policyEntryStatements(template: Template, entry: unknown): Statement[] {
  const object = entry as Record<string, any>;
  // A managed policy's ARN written with the partition, `!Sub arn:${AWS::Partition}:iam::aws:policy/...`.
  if (typeof object?.['Fn::Sub'] === 'string')
    return policyEntryStatements(template, object['Fn::Sub'].replace('${AWS::Partition}', 'aws'));
  if (typeof entry === 'string') {
    const managed = AWS_MANAGED_POLICIES[entry.replace(/^arn:aws:iam::aws:policy\//, '')];
    if (!managed)
      throw new Error(
        `the managed policy ${entry} is not modelled here: write its statements into AWS_MANAGED_POLICIES`,
      );
    return managed;
  }
  if (Array.isArray(object.Statement)) return object.Statement;
  if (typeof object.Ref === 'string') {
    const policy = template.Resources[object.Ref];
    if (policy?.Type !== 'AWS::IAM::ManagedPolicy')
      throw new Error(`Policies names ${object.Ref}, which is no managed policy of the template`);
    return (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
  }
  const [name] = Object.keys(object);
  return expandPolicyTemplate(name, object[name] ?? {});
}

/** Every atom the template's principals are granted (or denied). */
export function effectivePermissions(template: Template): Atom[] {
  const result: Atom[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const properties = (resource.Properties ?? {}) as Record<string, any>;
    switch (resource.Type) {
      case 'AWS::Serverless::Function': {
        if (properties.Role) throw new Error(`${id} has its own Role: model it here before declaring its permissions`);
        const statements = [properties.Policies ?? []]
          .flat()
          .flatMap((entry) => policyEntryStatements(template, entry));
        statements.push(...AWS_MANAGED_POLICIES.AWSLambdaBasicExecutionRole);
        if (serverlessFunction(template, id)!.properties.Tracing === 'Active')
          statements.push(...AWS_MANAGED_POLICIES.AWSXrayWriteOnlyAccess);
        result.push(...atoms(id, statements));
        break;
      }
      case 'AWS::Serverless::StateMachine': {
        if (properties.Role) throw new Error(`${id} has its own Role: model it here before declaring its permissions`);
        const statements = [properties.Policies ?? []]
          .flat()
          .flatMap((entry) => policyEntryStatements(template, entry));
        if (properties.Tracing?.Enabled === true) statements.push(...AWS_MANAGED_POLICIES.AWSXrayWriteOnlyAccess);
        result.push(...atoms(id, statements));
        break;
      }
      case 'AWS::IAM::Role': {
        const statements = (properties.Policies ?? []).flatMap(
          (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
        );
        for (const arn of properties.ManagedPolicyArns ?? []) statements.push(...policyEntryStatements(template, arn));
        result.push(...atoms(id, statements));
        break;
      }
      // Resource policies: each statement lets in the principal it names (a service, or `*` in a Deny).
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SNS::TopicPolicy':
        for (const statement of properties.PolicyDocument.Statement as Statement[]) {
          result.push(...atoms(`${id} → ${principalName(statement.Principal)}`, [statement]));
        }
        break;
      case 'AWS::Lambda::Permission':
        result.push(
          ...atoms(`${id} → ${show(properties.Principal)}`, [
            { Effect: 'Allow', Action: properties.Action, Resource: properties.FunctionName },
          ]).map((atom) => ({
            ...atom,
            condition: properties.SourceArn === undefined ? '' : `SourceArn ${show(properties.SourceArn)}`,
          })),
        );
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
      case 'AWS::SQS::QueuePolicy':
        throw new Error(`${id} (${resource.Type}) grants permissions this model does not read yet`);
      default:
        break;
    }
  }
  return result;
}

function principalName(principal: unknown): string {
  if (typeof principal === 'string') return principal;
  const object = (principal ?? {}) as Record<string, unknown>;
  return [object.Service ?? object.AWS ?? object.Federated ?? JSON.stringify(principal)].flat().map(show).join(', ');
}

export interface DeclaredRow {
  line: number;
  principals: string[];
  effect: string;
  actions: string[];
  resources: string[];
  condition: string;
  why: string;
}

/** Backticked items of a table cell, in order. */
const backticked = (cell: string) => Array.from(cell.matchAll(/`([^`]+)`/g), (match) => match[1]);

/** The rows of the permissions table (the one whose header starts `| Principal | Effect |`). */
export function declaredRows(markdown: string): DeclaredRow[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => /^\|\s*Principal\s*\|\s*Effect\s*\|/.test(line));
  if (header < 0)
    throw new Error(
      'docs/security.md has no permissions table (| Principal | Effect | Actions | Resource | Condition | Why |)',
    );
  const rows: DeclaredRow[] = [];
  for (let index = header + 2; index < lines.length && lines[index].startsWith('|'); index++) {
    const cells = lines[index]
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.length !== 6)
      throw new Error(`docs/security.md line ${index + 1}: expected 6 cells, found ${cells.length}`);
    const [principal, effect, actions, resources, condition, why] = cells;
    rows.push({
      line: index + 1,
      principals: backticked(principal),
      effect,
      actions: backticked(actions),
      resources: backticked(resources),
      condition: backticked(condition).join('; '),
      why,
    });
  }
  return rows;
}

export function declaredAtoms(rows: DeclaredRow[]): Atom[] {
  return rows.flatMap((row) =>
    row.principals.flatMap((principal) =>
      row.actions.flatMap((action) =>
        row.resources.map((resource) => ({
          principal,
          effect: row.effect as Atom['effect'],
          action,
          resource,
          condition: row.condition,
        })),
      ),
    ),
  );
}

export const atomKey = (atom: Atom) =>
  `${atom.principal} | ${atom.effect} | ${atom.action} | ${atom.resource} | ${atom.condition}`;
