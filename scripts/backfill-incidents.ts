/**
 * `npm run backfill:incidents [-- --stack-name NAME] [--region REGION] [--table NAME --counts-table NAME]
 *   [--endpoint-url URL]`
 *
 * The one-off after the deploy that gave IncidentsTable GET /incidents' indexes (issue 18): every incident written
 * before it gets the attributes the indexes are keyed on (local/provisioning/incident-index-backfill.ts); until then
 * GET /incidents does not list it. Safe to run again at any time; run it once more when the last plagiarism execution
 * started before that deploy has ended (at most about three weeks: three exams of a week), because those executions
 * run the old definition, which changes Status without StatusPartition. It also keeps the count of incidents needing
 * administrative action exact: it counts those from before IncidentCountsTable existed (each once, however often it
 * runs) and uncounts those a redriven run took out of ADMIN_ACTION_REQUIRED. The tables are the
 * stack's IncidentsTable and IncidentCountsTable (found through CloudFormation), or `--table` and `--counts-table`
 * (with `--endpoint-url http://localhost:8000` for DynamoDB Local).
 */
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { backfillIncidentIndexes } from '../local/provisioning/incident-index-backfill';
import { chosenStackName, StackError } from './lib/stack';

/** The physical name of one of the stack's tables. */
async function tableOf(stackName: string, region: string | undefined, logicalId: string): Promise<string> {
  const cloudFormation = new CloudFormationClient({ region });
  try {
    const { StackResourceDetail } = await cloudFormation.send(
      new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: logicalId }),
    );
    const table = StackResourceDetail?.PhysicalResourceId;
    if (!table) throw new StackError(`The stack "${stackName}" has no ${logicalId}.`);
    return table;
  } finally {
    cloudFormation.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'stack-name': { type: 'string' },
      region: { type: 'string' },
      table: { type: 'string' },
      'counts-table': { type: 'string' },
      'endpoint-url': { type: 'string' },
    },
    strict: true,
  });
  const region = values.region; // else the SDK's usual chain: AWS_REGION, the profile's region, ...
  // The stack is looked for only when a table is not named.
  const stackTable = async (logicalId: string) =>
    tableOf(await chosenStackName(values['stack-name'], 'backfill:incidents'), region, logicalId);
  const table = values.table ?? (await stackTable('IncidentsTable'));
  const countsTable = values['counts-table'] ?? (await stackTable('IncidentCountsTable'));
  const client = new DynamoDBClient({ region, endpoint: values['endpoint-url'] });
  try {
    const result = await backfillIncidentIndexes(DynamoDBDocumentClient.from(client), table, countsTable);
    console.log(
      `${table}: ${result.scanned} incidents read, ${result.updated} given their index keys, ${result.scanned - result.updated - result.skipped.length} already had them; ${result.counted} needing administrative action newly counted and ${result.uncounted} no longer needing it uncounted in ${countsTable}.`,
    );
    if (result.skipped.length > 0) {
      console.error(
        `${result.skipped.length} incident(s) cannot be indexed (no CreatedAt, or an unknown Status): ${result.skipped.join(', ')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof StackError ? error.message : error);
    process.exit(1);
  });
}
