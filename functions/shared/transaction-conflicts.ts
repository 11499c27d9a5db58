/**
 * DynamoDB cancels a transaction with the reason TransactionConflict when a concurrent one touches the same item
 * at the same moment; both may be cancelled, and neither has changed anything. Sending it again after a short
 * random pause (so the two do not collide again) is the documented remedy; the SDK does not retry these itself.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Tries in all before the caller decides what a lasting conflict means. */
const conflictAttempts = 3;

/** Runs `attempt` until it answers something other than 'conflict', at most three times; then answers 'conflict'. */
export async function retryOnConflict<Outcome>(attempt: () => Promise<Outcome | 'conflict'>): Promise<Outcome | 'conflict'> {
  for (let tries = 1; ; tries++) {
    const outcome = await attempt();
    if (outcome !== 'conflict' || tries === conflictAttempts) return outcome;
    await delay(Math.random() * 50 * tries);
  }
}
