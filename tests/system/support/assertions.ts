/** Assertions on API answers, with the body in the message when the status is not the expected one. */
import type { ApiAnswer } from './http';

/** A 200 body, or the contract's error body `{error, message}`. */
export type Answer = Record<string, unknown> & { error?: string; message?: string };

export function expectStatus(answer: ApiAnswer<unknown>, status: number): void {
  if (answer.status !== status) throw new Error(`expected HTTP ${status}, got ${answer.status}: ${answer.text}`);
}

/** The contract's error: that status, `error` naming it, and a human sentence in `message`. */
export function expectError(answer: ApiAnswer<Answer>, status: number, error: string): void {
  expectStatus(answer, status);
  expect(answer.body.error).toBe(error);
  expect(typeof answer.body.message).toBe('string');
  expect(answer.body.message!.length).toBeGreaterThan(0);
}
