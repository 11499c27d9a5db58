/**
 * `npm run backfill:incidents [-- --stack-name NAME] [--region REGION] [--table NAME] [--endpoint-url URL]`
 *
 * The one-off after the deploy that gave IncidentsTable GET /incidents' indexes (issue 18): every incident written
 * before it gets the attributes the indexes are keyed on (local/provisioning/incident-index-backfill.ts); until then
 * GET /incidents does not list it. Safe to run again at any time; run it once more when the last plagiarism execution
 * started before that deploy has ended (at most about three weeks: three exams of a week), because those executions
 * run the old definition, which changes Status without StatusPartition. The table is the stack's IncidentsTable
 * (found through CloudFormation), or `--table` (with `--endpoint-url http://localhost:8000` for DynamoDB Local).
 */
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { backfillIncidentIndexes } from '../local/provisioning/incident-index-backfill';
import { chosenStackName, StackError } from './lib/stack';

async function incidentsTableOf(stackName: string, region: string | undefined): Promise<string> {
  const cloudFormation = new CloudFormationClient({ region });
  try {
    const { StackResourceDetail } = await cloudFormation.send(
      new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: 'IncidentsTable' }),
    );
    const table = StackResourceDetail?.PhysicalResourceId;
    if (!table) throw new StackError(`The stack "${stackName}" has no IncidentsTable.`);
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
      'endpoint-url': { type: 'string' },
    },
    strict: true,
  });
  const region = values.region; // else the SDK's usual chain: AWS_REGION, the profile's region, ...
  const table =
    values.table ?? (await incidentsTableOf(await chosenStackName(values['stack-name'], 'backfill:incidents'), region));
  const client = new DynamoDBClient({ region, endpoint: values['endpoint-url'] });
  try {
    const result = await backfillIncidentIndexes(DynamoDBDocumentClient.from(client), table);
    console.log(
      `${table}: ${result.scanned} incidents read, ${result.updated} given their index keys, ${result.scanned - result.updated - result.skipped.length} already had them.`,
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
