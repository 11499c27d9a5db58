/**
 * When a busy engine lets its host have a turn. States that wait for nothing (Pass, Choice, a Map of them) run one
 * after another as promise continuations, which Node runs before any I/O or timer: a Choice looping back to a Pass
 * would hold the event loop until its execution ended, and its host (a server) could not even answer StopExecution.
 * The interpreter asks its clock before each state (Clock.pace); the clock answers from one of these.
 *
 * A slice is what runs between two turns of the host: the first state after a turn opens one and asks for the next
 * turn (setImmediate) at once, so a slice never outlives the turn that ends it (an idle host starts a fresh one).
 * Once the slice has run `states` states, or lasted `ms` by `now` (real time, for a SystemClock), every state waits
 * for that turn.
 */
export interface SliceLimits {
  /** States one slice may run. */
  states: number;
  /** How long one slice may last, read from `now` (leave both out to count states only: deterministic). */
  ms?: number;
  now?: () => number;
}

export class HostTurns {
  private turn: Promise<void> | undefined;
  private sliceStart = 0;
  private states = 0;

  constructor(private readonly limits: SliceLimits) {}

  /** Before a state runs: undefined to go on at once, or the host's turn, to await first. */
  next(): Promise<void> | undefined {
    const { limits } = this;
    if (this.turn === undefined) {
      this.turn = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.turn = undefined;
      });
      this.states = 1;
      if (limits.now) this.sliceStart = limits.now();
      return undefined;
    }
    this.states++;
    if (
      this.states <= limits.states &&
      !(limits.now && limits.ms !== undefined && limits.now() - this.sliceStart >= limits.ms)
    )
      return undefined;
    return this.turn;
  }
}
