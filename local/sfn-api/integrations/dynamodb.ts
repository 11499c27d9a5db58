/**
 * The optimized DynamoDB integrations `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`
 * (docs/stepfunctions-local.md §6.3), sent with the AWS SDK v3 client to the local DynamoDB. Parameters
 * are DynamoDB's own (PascalCase, DynamoDB JSON values); the result is DynamoDB's response plus
 * SdkHttpMetadata/SdkResponseMetadata; errors are named `DynamoDB.<Code>` with Java SDK v1 causes.
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import type { TaskOutcome } from '@serverless-workflows/sfn-engine';
import { checkParameters } from './parameters';
import { responseMetadata } from './response-metadata';
import { modeledErrorsOf, optimizedIntegrationFailure } from './sdk-errors';

const common = ['TableName', 'ExpressionAttributeNames', 'ReturnConsumedCapacity'];
const writes = [
  ...common,
  'ConditionExpression',
  'ConditionalOperator',
  'Expected',
  'ExpressionAttributeValues',
  'ReturnItemCollectionMetrics',
  'ReturnValues',
  'ReturnValuesOnConditionCheckFailure',
];

const actions = {
  getItem: {
    command: dynamodb.GetItemCommand,
    fields: {
      allowed: [...common, 'Key', 'AttributesToGet', 'ConsistentRead', 'ProjectionExpression'],
      required: ['TableName', 'Key'],
    },
  },
  putItem: {
    command: dynamodb.PutItemCommand,
    fields: { allowed: [...writes, 'Item'], required: ['TableName', 'Item'] },
  },
  updateItem: {
    command: dynamodb.UpdateItemCommand,
    fields: { allowed: [...writes, 'Key', 'UpdateExpression', 'AttributeUpdates'], required: ['TableName', 'Key'] },
  },
  deleteItem: {
    command: dynamodb.DeleteItemCommand,
    fields: { allowed: [...writes, 'Key'], required: ['TableName', 'Key'] },
  },
};

export type DynamoDbAction = keyof typeof actions;

export const isDynamoDbAction = (action: string): action is DynamoDbAction => Object.hasOwn(actions, action);

const naming = {
  prefix: 'DynamoDB',
  serviceName: 'AmazonDynamoDBv2',
  genericError: 'AmazonDynamoDBException',
  isModeled: modeledErrorsOf(dynamodb, dynamodb.DynamoDBServiceException),
};

export class DynamoDbIntegration {
  constructor(
    private readonly client: dynamodb.DynamoDBClient,
    private readonly now: () => number,
  ) {}

  async invoke(resource: string, action: DynamoDbAction, parameters: unknown): Promise<TaskOutcome> {
    const { fields } = actions[action];
    // The four commands take different input types; the parameters are checked against the action's fields.
    const Command = actions[action].command as unknown as new (input: unknown) => dynamodb.GetItemCommand;
    const invalid = checkParameters(resource, parameters, fields);
    if (invalid) return invalid;
    let response: { $metadata: { requestId?: string; httpStatusCode?: number } };
    try {
      response = await this.client.send(new Command(parameters));
    } catch (error) {
      return optimizedIntegrationFailure(error, naming);
    }
    const { $metadata, ...result } = response;
    const requestId = $metadata.requestId ?? '';
    return {
      ok: true,
      output: {
        ...result,
        ...responseMetadata({
          requestId,
          statusCode: $metadata.httpStatusCode ?? 200,
          contentType: 'application/x-amz-json-1.0',
          body: JSON.stringify(result),
          date: new Date(this.now()),
        }),
      },
    };
  }
}
