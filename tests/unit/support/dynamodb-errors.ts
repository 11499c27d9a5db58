/** DynamoDB's refusal of a TransactWriteItems, with one cancellation reason per item, as the SDK raises it. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

export function canceled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}
