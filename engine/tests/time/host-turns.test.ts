/** HostTurns (time/host-turns.ts): when a busy engine lets its host have a turn. */
import { HostTurns } from '../../src/time/host-turns';

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

test('a slice runs `states` states, then every state waits for the host turn it asked for when it opened', async () => {
  let hostRan = false;
  setImmediate(() => (hostRan = true));
  const turns = new HostTurns({ states: 3 });
  expect([turns.next(), turns.next(), turns.next()]).toEqual([undefined, undefined, undefined]);
  const turn = turns.next();
  expect(turn).toBeInstanceOf(Promise);
  expect(turns.next()).toBe(turn);
  expect(hostRan).toBe(false);
  await turn;
  expect(hostRan).toBe(true);
  // The turn closed the slice: the next state opens a fresh one.
  expect(turns.next()).toBeUndefined();
});

test('a slice also ends once it has lasted `ms` by its `now`, whatever its count', async () => {
  let now = 1000;
  const turns = new HostTurns({ states: 1000, ms: 10, now: () => now });
  expect(turns.next()).toBeUndefined();
  now += 9;
  expect(turns.next()).toBeUndefined();
  now += 1;
  const turn = turns.next();
  expect(turn).toBeInstanceOf(Promise);
  await turn;
  expect(turns.next()).toBeUndefined();
});

test('a host turn that came anyway (an idle engine) closes the slice: no stale slice makes the next state wait', async () => {
  let now = 0;
  const turns = new HostTurns({ states: 2, ms: 10, now: () => now });
  expect(turns.next()).toBeUndefined();
  expect(turns.next()).toBeUndefined();
  await macrotask();
  now += 60_000;
  expect(turns.next()).toBeUndefined();
  expect(turns.next()).toBeUndefined();
  expect(turns.next()).toBeInstanceOf(Promise);
});
