/**
 * The local cloud's one clock: real time plus the offset `POST /_local/clock` moves. The engine runs on it, and the
 * Lambda runner hands its offset to every invocation (local/lambda-runner/worker.mts), so the functions see the
 * engine's time too.
 *
 * The offset is kept in `<dataDir>/clock.json`, next to the executions, and read back at start, so a restart (a
 * crash and kill -9 included) comes back at the time it left: timers set before it are as near as they were.
 * The clock also never starts behind a time the stored state has already seen (`notBefore`, with the latest
 * history timestamp): a state folder from before the offset was kept, or a host clock set back, cannot make
 * timestamps go backwards across a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SystemClock } from '@serverless-workflows/sfn-engine';
import type { StateMachineRecord } from './model';
import type { StoredExecution } from './store/execution-store';

interface ClockFile {
  /** how far the clock is ahead of real time, in ms */
  offsetMs: number;
  /** the clock's time when the file was written: it never starts behind it */
  nowMs: number;
}

const FILE_NAME = 'clock.json';

export class LocalClock extends SystemClock {
  /** SystemClock keeps its offset to itself (and under the name `offset`, which this must not reuse). */
  private advancedMs = 0;

  private constructor(private readonly file: string | undefined) {
    super();
  }

  /** A clock that is not kept anywhere (real time plus what it is advanced by). */
  static inMemory(): LocalClock {
    return new LocalClock(undefined);
  }

  /**
   * The clock of a state folder: its saved offset, and never behind the time it was saved at. An unreadable file
   * is reported and the clock starts at real time (the histories' times still hold it back: see notBefore).
   */
  static open(dataDir: string, warn: (message: string) => void = () => undefined): LocalClock {
    const file = path.join(dataDir, FILE_NAME);
    const clock = new LocalClock(file);
    let saved: ClockFile | undefined;
    try {
      saved = parseClockFile(fs.readFileSync(file, 'utf8'));
      if (!saved) warn(`ignored ${file}: it is not {"offsetMs": <ms>, "nowMs": <ms>}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (saved) {
      // Applied without writing the file again: it already says this.
      clock.move(saved.offsetMs);
      clock.notBefore(saved.nowMs);
    }
    return clock;
  }

  /** How far this clock is ahead of real time, in ms (what a function's Date is shifted by). */
  get offsetMs(): number {
    return this.advancedMs;
  }

  /** Moves the clock forward by ms (timers now due fire at once) and keeps the new offset. */
  override advance(ms: number): void {
    if (!(ms > 0)) return;
    this.move(ms);
    this.save();
  }

  /** Moves the clock forward to epochMs if it is behind it (a time the stored state has already seen). */
  notBefore(epochMs: number): void {
    const behind = epochMs - this.now();
    if (behind > 0) this.advance(behind);
  }

  private move(ms: number): void {
    super.advance(ms);
    this.advancedMs += ms;
  }

  /** Replaces the file whole (write, then rename), so a crash leaves the old offset or the new one. */
  private save(): void {
    if (!this.file) return;
    const record: ClockFile = { offsetMs: this.advancedMs, nowMs: this.now() };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(record)}\n`);
    fs.renameSync(temp, this.file);
  }
}

function parseClockFile(text: string): ClockFile | undefined {
  try {
    const value = JSON.parse(text) as Partial<ClockFile> | null;
    const { offsetMs, nowMs } = value ?? {};
    if (typeof offsetMs === 'number' && offsetMs >= 0 && Number.isFinite(offsetMs) && Number.isFinite(nowMs))
      return { offsetMs, nowMs: nowMs as number };
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}

/** The latest time the stored state has seen: state machines' creation and updates, and every history event. */
export function latestRecordedTime(
  stateMachines: readonly StateMachineRecord[],
  executions: readonly StoredExecution[],
): number {
  let latest = 0;
  const see = (time: number | undefined) => {
    if (typeof time === 'number' && time > latest) latest = time;
  };
  for (const machine of stateMachines) {
    see(machine.creationDate);
    see(machine.updateDate);
  }
  for (const execution of executions) {
    for (const event of execution.events) see(event.timestamp);
    see(execution.closed?.stopDate);
  }
  return latest;
}
