import type { ChildProcess } from 'node:child_process';

/** A local stand-in for an AWS service, running as a child process. */
export interface LocalService {
  readonly name: string;
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  /** Its processes, to record in pid files (the keeper first, then what it runs). */
  readonly pids: number[];
  /** Whether the service answers right now. */
  healthy(): Promise<boolean>;
  stop(): Promise<void>;
}

/** The last lines a child wrote, to explain why it did not start. */
export class OutputTail {
  private lines: string[] = [];

  constructor(child: ChildProcess, private readonly keep = 20) {
    const add = (chunk: Buffer) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
      this.lines = this.lines.slice(-this.keep);
    };
    child.stdout?.on('data', add);
    child.stderr?.on('data', add);
  }

  toString(): string {
    return this.lines.join('\n');
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
