/**
 * The cold-start benchmark's floor: the least a function of this project can load, a handler holding only the
 * DynamoDB document client, which every function uses. The benchmark builds it the fastest known way (CommonJS,
 * minified, the SDK's ES modules through MainFields module,main) and compares every function's init with its.
 * Its one invocation reads an item, which fails at once offline (the benchmark points the SDK at a closed port).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => documents.send(new GetCommand({ TableName: 'FloorTable', Key: { Id: 'floor' } }));
