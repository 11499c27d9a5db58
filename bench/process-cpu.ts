/**
 * CPU time (user + system) spent by each part of a running local cloud, read from /proc (Linux only), grouped
 * by role: npm start's own process (the API Gateway emulator, the Step Functions engine and the Lambda runner),
 * each function's processes, DynamoDB Local, the SES capture. On a machine others are loading, wall-clock figures
 * swing with their load; CPU milliseconds per request hardly do, and they say where the time of a request goes.
 * Written by hand: no library reads per-process CPU of processes a program did not start itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { commandLine } from '../local/pids';

/** USER_HZ, in which /proc/<pid>/stat counts CPU time: fixed at 100 by Linux's user-space ABI. */
const TICKS_PER_SECOND = 100;

export type CpuByRole = Map<string, number>;

/** The CPU milliseconds of one process so far, or undefined when it is gone (or there is no /proc). */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state ppid ... utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it (children of any of its threads, recursively). */
function processTree(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) children.push(...text.split(' ').map(Number));
    }
  } catch {
    // Gone while we looked, or no /proc: nothing below it.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** What a process of the local cloud is, from its command line. */
function roleOf(pid: number, ownRoles: ReadonlyMap<number, string>): string {
  const own = ownRoles.get(pid);
  if (own) return own;
  const command = commandLine(pid) ?? '';
  const fn = /functions\/([A-Za-z0-9]+)\/[^/ ]+ /.exec(command)?.[1];
  if (command.includes('lambda-runner/worker') && fn) return `${fn} processes`;
  if (command.includes('local/start.ts')) return 'npm start (API Gateway emulator, Step Functions, Lambda runner)';
  if (command.includes('DynamoDBLocal') || command.includes('dynamodb-process')) return 'DynamoDB Local';
  if (command.includes('ses-capture')) return 'SES capture';
  return 'other processes';
}

/**
 * CPU milliseconds so far of every process under `roots`, summed by role; `ownRoles` names processes whose command
 * line says too little (e.g. the benchmark's own process).
 */
export function cpuByRole(roots: readonly number[], ownRoles: ReadonlyMap<number, string> = new Map()): CpuByRole {
  const byRole: CpuByRole = new Map();
  for (const pid of new Set(roots.flatMap(processTree))) {
    const ms = cpuMs(pid);
    if (ms === undefined) continue;
    const role = roleOf(pid, ownRoles);
    byRole.set(role, (byRole.get(role) ?? 0) + ms);
  }
  return byRole;
}

/** The CPU milliseconds each role spent between two readings (a process that ended in between loses its share). */
export function cpuSpent(before: CpuByRole, after: CpuByRole): CpuByRole {
  return new Map([...after].map(([role, ms]) => [role, Math.max(0, ms - (before.get(role) ?? 0))] as const));
}

export function totalOf(cpu: CpuByRole): number {
  return [...cpu.values()].reduce((sum, ms) => sum + ms, 0);
}

export const cpuAvailable = process.platform === 'linux';
