/**
 * SeedRoomsFunction: the `SeedRooms` CloudFormation custom resource. On Create and Update it writes every room of
 * data/rooms.json (bundled into the function) into ROOMS_TABLE with plain puts, so seeding again changes nothing but
 * what the file changed; the resource's RoomsHash property (the file's SHA-256) makes CloudFormation send that Update
 * whenever the file changes. A room removed from the file stays in the table. On Delete it leaves the table alone
 * (the tables are retained). It always answers CloudFormation, so a failure fails the deployment instead of leaving
 * it waiting for the resource's ServiceTimeout.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import rooms from '../../data/rooms.json';
import { dynamo } from '../shared/infrastructure/clients';
import { requireEnv } from '../shared/infrastructure/env';
import { observedHandler } from '../shared/infrastructure/handler';
import { logger } from '../shared/infrastructure/logger';
import { parseInput } from '../shared/infrastructure/validation';
import { sendCustomResourceResponse, type CustomResourceResponse } from './cloudformation-response';

/** What is needed to answer at all; the request type is checked separately so that a bad one is answered FAILED. */
const customResourceRequest = z.object({
  RequestType: z.string(),
  ResponseURL: z.url({ protocol: /^https?$/ }),
  StackId: z.string().check(z.minLength(1)),
  RequestId: z.string().check(z.minLength(1)),
  LogicalResourceId: z.string().check(z.minLength(1)),
  PhysicalResourceId: z.optional(z.string().check(z.minLength(1))),
});

async function seedRooms(event: unknown, context: Context): Promise<CustomResourceResponse> {
  const request = parseInput(customResourceRequest, event);
  const response: CustomResourceResponse = {
    Status: 'SUCCESS',
    PhysicalResourceId: request.PhysicalResourceId ?? request.LogicalResourceId,
    StackId: request.StackId,
    RequestId: request.RequestId,
    LogicalResourceId: request.LogicalResourceId,
  };
  try {
    response.Data = await handle(request.RequestType);
  } catch (error) {
    logger.error('Seeding the rooms failed', error as Error);
    response.Status = 'FAILED';
    response.Reason = `${(error as Error).message} (log stream ${context.logStreamName})`;
  }
  try {
    await sendCustomResourceResponse(request.ResponseURL, response);
  } catch (error) {
    // Fail the invocation: CloudFormation invokes asynchronously, so Lambda retries it, and seeding is repeatable.
    // Untold, CloudFormation would wait out the resource's ServiceTimeout and then fail the deployment.
    logger.error(`CloudFormation was not told that seeding the rooms ended ${response.Status}`, error as Error);
    throw error;
  }
  return response;
}

async function handle(requestType: string): Promise<{ RoomCount: number }> {
  switch (requestType) {
    case 'Create':
    case 'Update': {
      const tableName = requireEnv('ROOMS_TABLE');
      await Promise.all(rooms.map((room) => dynamo.send(new PutCommand({ TableName: tableName, Item: room }))));
      logger.info('Rooms seeded', { tableName, count: rooms.length });
      return { RoomCount: rooms.length };
    }
    case 'Delete':
      return { RoomCount: 0 };
    default:
      throw new Error(`Unknown RequestType ${JSON.stringify(requestType)}: expected Create, Update or Delete`);
  }
}

export const handler = observedHandler(seedRooms);
