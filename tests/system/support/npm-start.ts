/**
 * The real `npm start` (local/start.ts run by tsx, as the npm script does) as a child process in a process group
 * of its own, so that it can be killed with everything it started (DynamoDB Local's JVM, the SES capture, the
 * function processes) the way `kill -9 -<pgid>` does, and so that nothing it started outlives the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalCloudPorts } from '../../../local/cloud';
import { PROJECT_ROOT } from '../../../local/template/load';
import { eventually } from '../../support/eventually';

export interface NpmStartOptions {
  ports: LocalCloudPorts;
  /** LOCAL_STATE_DIR: where this local cloud keeps its state (a temporary folder, never the developer's .local). */
  stateDir: string;
  args?: string[];
}

export interface NpmStart {
  readonly pid: number;
  readonly apiUrl: string;
  /** The SES capture (GET /store) and the Step Functions API (POST /_local/clock). */
  readonly sesUrl: string;
  readonly sfnUrl: string;
  /** The last lines it printed, for a failure's message. */
  output(): string;
  /** Resolves when GET /_local/health answers 200; rejects if the process ends first or after `timeoutMs`. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /**
   * SIGSTOP to the whole process group: none of it runs again (a request sent now is accepted by the kernel and
   * stays unanswered), so a kill9 after it kills the state of this instant. Resolves, on Linux, once every process
   * of the group is stopped.
   */
  freeze(): Promise<void>;
  /** SIGKILL to the whole process group, as a crash or `kill -9 -<pgid>` would; resolves when all of it is gone. */
  kill9(): Promise<void>;
  /**
   * Ctrl-C (SIGINT to the group, as a terminal sends it), then SIGKILL to whatever of the group is left after
   * `graceMs`. Resolves when all of it is gone: 'stopped' when Ctrl-C was enough, 'killed' when it was not.
   */
  stop(graceMs?: number): Promise<'stopped' | 'killed'>;
}

const started = new Set<number>();

/** Every group still running is killed when the test process ends, however it ends. */
process.once('exit', () => {
  for (const pgid of started) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Pids of the processes in process group `pgid` (Linux /proc; elsewhere only whether the leader is alive). */
function groupMembers(pgid: number): number[] {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  return groupStates(pgid).map(({ pid }) => pid);
}

/** The live processes of group `pgid` with their state letter (R, S, T for stopped, ...), from Linux /proc. */
function groupStates(pgid: number): { pid: number; state: string }[] {
  const members: { pid: number; state: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces and parentheses): state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push({ pid: Number(entry), state: fields[0] });
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

/** Whether every process of group `pgid` ended within `timeoutMs`: a timeout is an answer here, not a failure. */
async function waitForGroupToEnd(pgid: number, timeoutMs: number): Promise<boolean> {
  const gone = async () => (groupMembers(pgid).length === 0 ? true : undefined);
  // Every 50 ms (not eventually's 25): a probe reads the stat file of every process on the machine.
  return eventually(`process group ${pgid} to end`, gone, { timeoutMs, intervalMs: 50 }).then(
    () => true,
    () => false, // groupMembers never throws: the only failure is the timeout
  );
}

export function spawnNpmStart(options: NpmStartOptions): NpmStart {
  const bin = path.join(PROJECT_ROOT, 'node_modules', '.bin');
  const child: ChildProcess = spawn(path.join(bin, 'tsx'), [path.join('local', 'start.ts'), ...(options.args ?? [])], {
    cwd: PROJECT_ROOT,
    detached: true, // its own process group
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, // Node 24 first, as for npm scripts
      LOCAL_API_PORT: String(options.ports.api),
      SFN_PORT: String(options.ports.sfn),
      DDB_PORT: String(options.ports.dynamodb),
      SES_PORT: String(options.ports.ses),
      COGNITO_PORT: String(options.ports.cognito),
      LOCAL_STATE_DIR: options.stateDir,
      SFN_MOCK_CONFIG: '',
    },
  });
  if (child.pid === undefined) throw new Error('npm start could not be spawned');
  const pgid = child.pid;
  started.add(pgid);

  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 80) lines.splice(0, lines.length - 80);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = signal ?? `code ${code}`;
  });
  const output = () => lines.join('\n');
  const apiUrl = `http://localhost:${options.ports.api}`;

  const ended = async (timeoutMs: number) => {
    const gone = await waitForGroupToEnd(pgid, timeoutMs);
    if (gone) started.delete(pgid);
    return gone;
  };

  return {
    pid: pgid,
    apiUrl,
    sesUrl: `http://localhost:${options.ports.ses}`,
    sfnUrl: `http://localhost:${options.ports.sfn}`,
    output,
    async waitUntilHealthy(timeoutMs = 120_000) {
      let last = 'no answer yet';
      await eventually(
        () => `npm start to be healthy (last: ${last}):\n${output()}`,
        async () => {
          if (exit !== undefined) throw new Error(`npm start ended (${exit}) before it was healthy:\n${output()}`);
          try {
            const response = await fetch(`${apiUrl}/_local/health`, { signal: AbortSignal.timeout(2000) });
            if (response.status === 200) return true;
            last = `${response.status} ${await response.text()}`;
          } catch (error) {
            last = (error as Error).message;
          }
          return undefined;
        },
        // Every 50 ms (not eventually's 25): a probe is a request to processes still busy starting on 2 cores.
        { timeoutMs, intervalMs: 50 },
      );
    },
    async freeze() {
      killGroup(pgid, 'SIGSTOP');
      if (process.platform !== 'linux') return;
      await eventually(
        () => `every process of group ${pgid} to stop: ${JSON.stringify(groupStates(pgid))}`,
        async () => {
          const members = groupStates(pgid);
          return members.length > 0 && members.every(({ state }) => state === 'T') ? true : undefined;
        },
        { timeoutMs: 5000, intervalMs: 20 },
      );
    },
    async kill9() {
      killGroup(pgid, 'SIGKILL');
      if (!(await ended(10_000)))
        throw new Error(`processes of group ${pgid} survived SIGKILL: ${groupMembers(pgid).join(', ')}`);
    },
    async stop(graceMs = 20_000) {
      killGroup(pgid, 'SIGINT');
      if (await ended(graceMs)) return 'stopped';
      killGroup(pgid, 'SIGKILL');
      if (!(await ended(10_000)))
        throw new Error(`processes of group ${pgid} survived SIGKILL: ${groupMembers(pgid).join(', ')}`);
      return 'killed';
    },
  };
}
