import { fork, type ChildProcess } from 'node:child_process';
import { nodeBinary } from '../node-binary';
import { commandLine, stopProcess } from '../pids';
import { PROJECT_ROOT } from '../template/load';
import { isListening, ServiceStartError, waitUntil } from './ports';

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
  /** Stops its processes, and what they left running if they ended by themselves. */
  stop(): Promise<void>;
  /** Settles once its process has ended, whoever ended it: stop(), a crash, a kill -9. */
  readonly exited: Promise<ServiceExit>;
}

/** How a service's process ended. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it wrote. */
  output: string;
  /** Why it ended, when it said so before it did. */
  reason?: string;
}

/** "killed by SIGKILL" or "exit code 1", and the last error line it wrote, if any: for a one-line report. */
export function describeExit(exit: ServiceExit): string {
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  if (exit.reason) return `${how}: ${exit.reason}`;
  const error = exit.output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /\b\w*(Error|Exception)\b/.test(line) && !line.startsWith('at '))
    .pop();
  return error ? `${how}: ${error.slice(0, 200)}` : how;
}

/** The last lines a child wrote, to explain why it did not start. */
export class OutputTail {
  private lines: string[] = [];

  constructor(
    child: ChildProcess,
    private readonly keep = 20,
  ) {
    const add = (chunk: Buffer) => {
      this.lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
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

export interface ServiceProcessOptions {
  /** What the service is called (LocalService.name), and how a sentence names it ("the SES capture"). */
  name: string;
  subject: string;
  port: number;
  /** The environment variable that chooses another port, named when the port is taken. */
  portVariable: string;
  /** The .mts file the service runs in (under Node 24, type stripping), and its arguments. */
  script: string;
  args: string[];
  /** Whether the service answers at its endpoint (polled until it does). */
  answers(endpoint: string): Promise<boolean>;
  startTimeoutMs: number;
  /** How long a process that did not start gets to stop before it is killed. */
  abandonGraceMs: number;
  /** Node options for its process. */
  execArgv?: string[];
  /**
   * Run it in a process group of its own, so that a signal to the local cloud's whole group (Ctrl-C in a terminal,
   * `kill -9 -<pgid>`) does not reach it: it stops when asked (stop()) or, through its IPC channel, when the local
   * cloud's process goes, in its own orderly way.
   */
  ownProcessGroup?: boolean;
}

/**
 * Runs a service's process and waits until it answers on its port. The process may tell, over IPC,
 * `{type: 'spawned', pid}` (a process it runs in turn, recorded in `pids`), `{type: 'error', message}` (why it
 * cannot serve) and `{type: 'ended', message}` (why it is about to end by itself: ServiceExit.reason). A port already in use, a process that ends, or no answer in time is a ServiceStartError.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<LocalService> {
  if (await isListening(options.port)) {
    throw new ServiceStartError(
      `${options.subject} cannot start: port ${options.port} is already in use (set ${options.portVariable} to use another)`,
    );
  }
  const child = fork(options.script, options.args, {
    execPath: nodeBinary(),
    execArgv: options.execArgv ?? [],
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: options.ownProcessGroup === true,
  });
  const output = new OutputTail(child);
  const pids = [child.pid].filter((pid): pid is number => pid !== undefined);
  // The processes it started in turn, with their command lines, to recognise them if they outlive it.
  const spawned: Array<{ pid: number; command: string | undefined }> = [];
  let failure: string | undefined;
  let reason: string | undefined;
  child.on('message', (message: { type: string; pid?: number; message?: string }) => {
    if (message.type === 'spawned' && message.pid !== undefined) {
      pids.push(message.pid);
      spawned.push({ pid: message.pid, command: commandLine(message.pid) });
    }
    if (message.type === 'error') failure = message.message;
    if (message.type === 'ended') reason = message.message;
  });
  const exited = new Promise<ServiceExit>((resolve) =>
    child.once('exit', (code, signal) => {
      failure ??= `it exited (${signal ?? `code ${code}`})${output.toString() ? `:\n${output}` : ''}`;
      resolve({ code, signal, output: output.toString(), reason });
    }),
  );
  // A process killed abruptly (kill -9 of DynamoDB Local's keeper) leaves what it started running (the JVM, on the
  // port): stopped too, if it is still the process that was started.
  const stop = async (graceMs?: number) => {
    await stopChild(child, graceMs);
    for (const { pid, command } of spawned)
      if (command !== undefined && commandLine(pid) === command) await stopProcess(pid);
  };
  const endpoint = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntil(`${options.subject} on port ${options.port}`, () => options.answers(endpoint), {
      timeoutMs: options.startTimeoutMs,
      intervalMs: 50,
      failure: () => failure,
    });
  } catch (error) {
    await stop(options.abandonGraceMs);
    throw error;
  }
  return {
    name: options.name,
    endpoint,
    port: options.port,
    pids,
    healthy: async () => failure === undefined && options.answers(endpoint),
    stop: () => stop(),
    exited,
  };
}
