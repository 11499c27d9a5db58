/** A DynamoDB UpdateItem whose failed condition is an expected outcome, not an error. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './clients';

/** Applies the update; false when its ConditionExpression did not hold (nothing was changed). */
export async function conditionalUpdate(input: UpdateCommandInput): Promise<boolean> {
  try {
    await dynamo.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
