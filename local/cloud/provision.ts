/**
 * Start-up step 2: what a deployment of the template would create, made in the local services: read and check the
 * template before anything starts, then the tables and rooms in DynamoDB Local and the state machines in the Step
 * Functions API (local/provisioning/ does the work; this step reports it and keeps what health() needs).
 */
import path from 'node:path';
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { provisionDynamoDb } from '../provisioning/dynamodb';
import {
  deployStateMachines,
  findStateMachineArn,
  stateMachineDefinitions,
  type StateMachineDefinition,
} from '../provisioning/state-machines';
import {
  type LocalStaffMember,
  type ProvisionedUserPool,
  provisionUserPool,
  type UserPoolDefinition,
  userPoolDefinition,
} from '../provisioning/cognito';
import { missingTables, tableDefinitions } from '../provisioning/tables';
import { cognitoClient } from '../services/cognito';
import { dynamoDbClient } from '../services/dynamodb-local';
import { sfnClient } from '../sfn-api/client';
import { refuseWhatAwsRefuses } from '../template/aws-rules';
import { IntrinsicResolver } from '../template/intrinsics';
import { loadTemplate, type Template } from '../template/load';
import { seconds, type Teardown } from './lifecycle';

export interface TemplatePlan {
  template: Template;
  /** Values given to template parameters locally (the exam emails link to the Testing Centre page served here). */
  parameterOverrides: Record<string, string>;
  tables: CreateTableCommandInput[];
  stateMachines: StateMachineDefinition[];
  /** The staff user pool, its app client and groups (none when the template declares no user pool). */
  userPool?: UserPoolDefinition;
}

/**
 * Reads the template and everything to provision from it, before anything starts: what would roll back in AWS
 * (TemplateRefusedError) or cannot be made locally fails here, with nothing to stop.
 */
export function planFromTemplate(templateFile: string, region: string, apiUrl: string): TemplatePlan {
  const template = loadTemplate(templateFile);
  refuseWhatAwsRefuses(
    template,
    path.dirname(templateFile),
    path.relative(process.cwd(), templateFile) || templateFile,
  );
  const parameterOverrides = { TestingCentreUrl: `${apiUrl}/testcentre/` };
  const resolver = new IntrinsicResolver(template, { region, parameterOverrides });
  return {
    template,
    parameterOverrides,
    tables: tableDefinitions(template, resolver),
    stateMachines: stateMachineDefinitions(template, resolver, path.dirname(templateFile)),
    userPool: userPoolDefinition(template, resolver),
  };
}

/** The contract's local staff: admin@example.com in admins, agent@example.com in agents, one password. */
export function localStaff(password: string): LocalStaffMember[] {
  return [
    { email: 'admin@example.com', group: 'admins', password },
    { email: 'agent@example.com', group: 'agents', password },
  ];
}

/** The template's user pool with the local staff in the Cognito service; what the pages and the emulator need. */
export async function provisionStaffPool(
  plan: TemplatePlan,
  endpoint: string,
  staffPassword: string,
  { region, progress }: { region: string; progress: (message: string) => void },
): Promise<ProvisionedUserPool | undefined> {
  if (!plan.userPool) return undefined;
  const cognito = cognitoClient(endpoint, region);
  try {
    const pool = await provisionUserPool(cognito, plan.userPool, localStaff(staffPassword));
    progress(`Cognito user pool ${pool.userPoolId}: admin@example.com (admins), agent@example.com (agents)`);
    return pool;
  } finally {
    cognito.destroy();
  }
}

/** The template's tables (kept when they exist) and rooms in DynamoDB Local; returns the client health() asks. */
export async function provisionTables(
  plan: TemplatePlan,
  endpoint: string,
  { teardown, progress, startedAt }: { teardown: Teardown; progress: (message: string) => void; startedAt: number },
): Promise<DynamoDBClient> {
  const ddb = dynamoDbClient(endpoint);
  teardown.add('DynamoDB client', () => ddb.destroy());
  const result = await provisionDynamoDb(ddb, plan.tables);
  progress(
    `DynamoDB Local ready in ${seconds(startedAt)}: tables ${describeList('created', result.created)}${describeList('kept', result.existing)}; ${result.rooms} rooms seeded`,
  );
  if (result.indexesAdded.length > 0)
    progress(
      `Added the indexes template.yaml has gained since these tables were made (${result.indexesAdded.join(', ')}); ${result.incidentsBackfilled} incidents given their index keys`,
    );
  if (result.incidentsCounted > 0)
    progress(`${result.incidentsCounted} incidents needing administrative action counted in IncidentCountsTable`);
  for (const table of result.mismatched)
    progress(
      `Warning: table ${table} has another key schema than template.yaml; run npm start -- --fresh to recreate it`,
    );
  return ddb;
}

/** The template's state machines, created (or updated) through the local Step Functions API; their ARNs by name. */
export async function provisionStateMachines(
  plan: TemplatePlan,
  sfnUrl: string,
  { region, teardown }: { region: string; teardown: Teardown },
): Promise<{ sfn: SFNClient; arns: Record<string, string> }> {
  const sfn = sfnClient(sfnUrl, region);
  teardown.add('Step Functions client', () => sfn.destroy());
  return { sfn, arns: await deployStateMachines(sfn, plan.stateMachines) };
}

/** For health(): the template's tables DynamoDB Local no longer has. */
export async function tableProblems(plan: TemplatePlan, ddb: DynamoDBClient): Promise<string[]> {
  const missing = await missingTables(ddb, plan.tables).catch(() => plan.tables.map((table) => table.TableName!));
  return missing.length > 0 ? [`missing tables: ${missing.join(', ')}`] : [];
}

/** For health(): the template's state machines the Step Functions API does not answer for. */
export async function stateMachineProblems(plan: TemplatePlan, sfn: SFNClient): Promise<string[]> {
  const problems: string[] = [];
  for (const machine of plan.stateMachines) {
    const arn = await findStateMachineArn(sfn, machine.name).catch(() => undefined);
    if (!arn) problems.push(`state machine ${machine.name} is not available`);
  }
  return problems;
}

function describeList(label: string, names: string[]): string {
  return names.length > 0 ? `${label}: ${names.join(', ')} ` : '';
}
