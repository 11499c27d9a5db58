import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Pid files for every process the local cloud starts, so that a run killed with `kill -9` (which cannot clean
 * up) is cleaned up by the next one. A pid is only ever signalled when its command line is still exactly the one
 * recorded when we started it: after a reboot or pid reuse the number may belong to someone else's process.
 */
export interface PidRecord {
  name: string;
  pid: number;
  /** The process's command line when it was recorded. */
  command: string;
  startedAt: string;
}

/** The command line of a running process, or undefined when there is no such process. */
export function commandLine(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return text.replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    if (process.platform === 'linux') return undefined;
  }
  try {
    // No /proc (macOS): ask ps.
    const text = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (EPERM: it does, someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/** Asks a process to stop (SIGTERM), then kills it (SIGKILL) if it is still there after `graceMs`. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitForExit(pid, graceMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForExit(pid, 2000);
}

export class PidFiles {
  constructor(readonly directory: string) {}

  /** Records a process we just started (its command line is read now, to recognise it later). */
  record(name: string, pid: number): void {
    const command = commandLine(pid);
    if (command === undefined) return; // it already ended: nothing to clean up later
    mkdirSync(this.directory, { recursive: true });
    const record: PidRecord = { name, pid, command, startedAt: new Date().toISOString() };
    writeFileSync(this.file(name), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Records a service's processes as `name`, `name-1`, ...; returns the names to remove them by. */
  recordAll(name: string, pids: number[]): string[] {
    return pids.map((pid, index) => {
      const recorded = index === 0 ? name : `${name}-${index}`;
      this.record(recorded, pid);
      return recorded;
    });
  }

  remove(name: string): void {
    rmSync(this.file(name), { force: true });
  }

  list(): PidRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.directory).filter((file) => file.endsWith('.json'));
    } catch {
      return [];
    }
    const records: PidRecord[] = [];
    for (const file of names) {
      try {
        const record = JSON.parse(readFileSync(path.join(this.directory, file), 'utf8')) as PidRecord;
        if (Number.isInteger(record.pid) && typeof record.command === 'string') records.push(record);
        else rmSync(path.join(this.directory, file), { force: true });
      } catch {
        rmSync(path.join(this.directory, file), { force: true }); // unreadable: it cannot identify anything
      }
    }
    return records;
  }

  /**
   * Stops every recorded process that is still ours (same pid, same command line), `first` ones before the rest
   * (the owner of a previous run first, so it can stop its own children cleanly), and forgets them all.
   * Returns the records of the processes it stopped.
   */
  async stopLeftovers(first: string[] = []): Promise<PidRecord[]> {
    const records = this.list().sort((a, b) => Number(first.includes(b.name)) - Number(first.includes(a.name)));
    const stopped: PidRecord[] = [];
    for (const record of records) {
      if (record.pid !== process.pid && commandLine(record.pid) === record.command) {
        await stopProcess(record.pid);
        stopped.push(record);
      }
      this.remove(record.name);
    }
    return stopped;
  }

  private file(name: string): string {
    return path.join(this.directory, `${name.replace(/[^\w.-]/g, '_')}.json`);
  }
}
