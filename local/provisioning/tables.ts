import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type LocalSecondaryIndex,
  type ProvisionedThroughput,
  type StreamViewType,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { IntrinsicResolver } from '../template/intrinsics';
import type { Template } from '../template/load';
import { resourcesOfType } from '../template/queries';

/** A table resource the local cloud cannot create as written. */
export class TableDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableDefinitionError';
  }
}

/**
 * An AWS::DynamoDB::Table's Properties (intrinsics resolved) that CreateTable takes: CloudFormation names and shapes
 * them as the DynamoDB API does. As written, not yet checked: fromTable checks what it relies on.
 */
interface TableProperties {
  KeySchema?: CreateTableCommandInput['KeySchema'];
  AttributeDefinitions?: CreateTableCommandInput['AttributeDefinitions'];
  BillingMode?: string;
  ProvisionedThroughput?: ProvisionedThroughput;
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
  LocalSecondaryIndexes?: LocalSecondaryIndex[];
  StreamSpecification?: { StreamViewType?: StreamViewType };
}

/** An AWS::Serverless::SimpleTable's Properties (intrinsics resolved). */
interface SimpleTableProperties {
  PrimaryKey?: { Name?: string; Type?: string };
  ProvisionedThroughput?: ProvisionedThroughput;
}

// DynamoDB Local ignores capacity, but CreateTable still requires it for PROVISIONED tables and their indexes.
const LOCAL_THROUGHPUT = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };

/**
 * CreateTable inputs for every AWS::DynamoDB::Table and AWS::Serverless::SimpleTable of the template,
 * named by logical id (the local table name; the template's TableName is for AWS).
 */
export function tableDefinitions(template: Template, resolver: IntrinsicResolver): CreateTableCommandInput[] {
  const definitions: CreateTableCommandInput[] = [];
  for (const { logicalId, resource } of resourcesOfType(
    template,
    'AWS::DynamoDB::Table',
    'AWS::Serverless::SimpleTable',
  )) {
    if (resource.Condition && !resolver.condition(resource.Condition)) continue;
    const properties = resolver.resolve(resource.Properties ?? {}) ?? {};
    definitions.push(
      resource.Type === 'AWS::DynamoDB::Table'
        ? fromTable(logicalId, properties as TableProperties)
        : fromSimpleTable(logicalId, properties as SimpleTableProperties),
    );
  }
  return definitions;
}

function fromTable(logicalId: string, properties: TableProperties): CreateTableCommandInput {
  if (!Array.isArray(properties.KeySchema) || !Array.isArray(properties.AttributeDefinitions)) {
    throw new TableDefinitionError(`${logicalId}: an AWS::DynamoDB::Table needs KeySchema and AttributeDefinitions`);
  }
  const provisioned = properties.BillingMode !== 'PAY_PER_REQUEST';
  const throughput = provisioned ? { ProvisionedThroughput: properties.ProvisionedThroughput ?? LOCAL_THROUGHPUT } : {};
  const definition: CreateTableCommandInput = {
    TableName: logicalId,
    KeySchema: properties.KeySchema,
    AttributeDefinitions: properties.AttributeDefinitions,
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ...throughput,
  };
  if (Array.isArray(properties.GlobalSecondaryIndexes)) {
    definition.GlobalSecondaryIndexes = properties.GlobalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection ?? { ProjectionType: 'ALL' },
      ...(provisioned ? { ProvisionedThroughput: index.ProvisionedThroughput ?? LOCAL_THROUGHPUT } : {}),
    }));
  }
  if (Array.isArray(properties.LocalSecondaryIndexes)) {
    definition.LocalSecondaryIndexes = properties.LocalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection ?? { ProjectionType: 'ALL' },
    }));
  }
  if (properties.StreamSpecification?.StreamViewType) {
    definition.StreamSpecification = {
      StreamEnabled: true,
      StreamViewType: properties.StreamSpecification.StreamViewType,
    };
  }
  return definition;
}

/** SAM's SimpleTable: a PrimaryKey (default `id`, String) and nothing else. */
function fromSimpleTable(logicalId: string, properties: SimpleTableProperties): CreateTableCommandInput {
  const key = properties.PrimaryKey ?? { Name: 'id', Type: 'String' };
  const type = ({ String: 'S', Number: 'N', Binary: 'B' } as const)[key.Type as 'String' | 'Number' | 'Binary'];
  if (!key.Name || !type)
    throw new TableDefinitionError(`${logicalId}: PrimaryKey needs a Name and a Type of String, Number or Binary`);
  return {
    TableName: logicalId,
    KeySchema: [{ AttributeName: key.Name, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: key.Name, AttributeType: type }],
    ...(properties.ProvisionedThroughput
      ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: properties.ProvisionedThroughput }
      : { BillingMode: 'PAY_PER_REQUEST' }),
  };
}

export interface EnsureTablesResult {
  created: string[];
  existing: string[];
  /** Tables that exist with another key schema than the template's (a restart after a template change). */
  mismatched: string[];
  /** Global secondary indexes the template added since a kept table was created, now made: `Table/Index`. */
  indexesAdded: string[];
}

/** Creates the tables that do not exist yet; tables kept from an earlier run are left with their data. */
export async function ensureTables(
  client: DynamoDBClient,
  definitions: CreateTableCommandInput[],
): Promise<EnsureTablesResult> {
  const result: EnsureTablesResult = { created: [], existing: [], mismatched: [], indexesAdded: [] };
  for (const definition of definitions) {
    const existing = await describe(client, definition.TableName!);
    if (existing) {
      result.existing.push(definition.TableName!);
      if (JSON.stringify(existing.KeySchema) !== JSON.stringify(definition.KeySchema))
        result.mismatched.push(definition.TableName!);
      else result.indexesAdded.push(...(await addMissingIndexes(client, definition, existing)));
      continue;
    }
    try {
      await client.send(new CreateTableCommand(definition));
      result.created.push(definition.TableName!);
    } catch (error) {
      // Another process created it in the meantime (e.g. `npm run invoke` while `npm start` comes up).
      if (!(error instanceof ResourceInUseException)) throw error;
      result.existing.push(definition.TableName!);
    }
    await waitUntilTableExists(
      { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { TableName: definition.TableName },
    );
  }
  return result;
}

/**
 * A table kept from an earlier run (npm start's state folder) gets the global secondary indexes the template added
 * since, as a stack update adds them in AWS: UpdateTable, one index at a time (DynamoDB creates or deletes only one
 * per UpdateTable call), each waited for until ACTIVE. Indexes the template no longer has are left alone.
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
  existing: TableDescription,
): Promise<string[]> {
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const added: string[] = [];
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: definition.TableName,
        AttributeDefinitions: definition.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await waitUntilIndexActive(client, definition.TableName!, index.IndexName!);
    added.push(`${definition.TableName}/${index.IndexName}`);
  }
  return added;
}

async function waitUntilIndexActive(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const table = await describe(client, tableName);
    const index = table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
    if (table?.TableStatus === 'ACTIVE' && index?.IndexStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new TableDefinitionError(`${tableName}: index ${indexName} did not become ACTIVE within 30 s`);
}

/** Names of the tables the definitions ask for that do not exist. */
export async function missingTables(client: DynamoDBClient, definitions: CreateTableCommandInput[]): Promise<string[]> {
  const missing: string[] = [];
  for (const definition of definitions) {
    if (!(await describe(client, definition.TableName!))) missing.push(definition.TableName!);
  }
  return missing;
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
