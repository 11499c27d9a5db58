/**
 * DynamoDB cancels a transaction with the reason TransactionConflict when a concurrent one touches the same item
 * at the same moment; both may be cancelled, and neither has changed anything. Sending it again after a random
 * pause that grows with each try (exponential backoff with full jitter, AWS's advice for contended writes) lets
 * the contenders spread out until one commits; the SDK does not retry these itself.
 * DynamoDB Local runs transactions one at a time and never answers TransactionConflict (100 concurrent
 * TransactWriteItems on one item: 1 commits, 99 fail their condition), so only the unit tests reach this path.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Tries in all before the caller decides what a lasting conflict means. */
const conflictAttempts = 5;

/** The longest first pause; each further one may be twice as long (at most 20 + 40 + 80 + 160 ms in all). */
const firstPauseMs = 20;

/** Runs `attempt` until it answers something other than 'conflict', at most five times; then answers 'conflict'. */
export async function retryOnConflict<Outcome>(
  attempt: () => Promise<Outcome | 'conflict'>,
): Promise<Outcome | 'conflict'> {
  for (let tries = 1; ; tries++) {
    const outcome = await attempt();
    if (outcome !== 'conflict' || tries === conflictAttempts) return outcome;
    await delay(Math.random() * firstPauseMs * 2 ** (tries - 1));
  }
}
