import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandLine, PidFiles } from '../../local/pids';

/** A long-running process standing in for a service a killed run left behind. */
function leftover(marker: string): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], { stdio: 'ignore' });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
}

describe('PidFiles', () => {
  let dir: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pids-test-'));
  });

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a process with its command line', () => {
    const child = leftover('record-me');
    children.push(child);
    const pidFiles = new PidFiles(dir);
    pidFiles.record('dynamodb', child.pid!);
    const [record] = pidFiles.list();
    expect(record).toMatchObject({ name: 'dynamodb', pid: child.pid });
    expect(record.command).toContain('record-me');
    expect(record.command).toBe(commandLine(child.pid!));
  });

  it('stops the processes a killed run left behind, the owner first, and forgets them', async () => {
    const owner = leftover('owner');
    const service = leftover('service');
    children.push(owner, service);
    const pidFiles = new PidFiles(dir);
    pidFiles.record('dynamodb', service.pid!);
    pidFiles.record('local-cloud', owner.pid!);

    const stopped = await pidFiles.stopLeftovers(['local-cloud']);
    expect(stopped.map((record) => record.name)).toEqual(['local-cloud', 'dynamodb']);
    await Promise.all([exited(owner), exited(service)]);
    expect(owner.signalCode).toBe('SIGTERM');
    expect(pidFiles.list()).toEqual([]);
  });

  it('never signals a pid whose command line is no longer the recorded one (pid reused by someone else)', async () => {
    const stranger = leftover('someone-else');
    children.push(stranger);
    writeFileSync(
      path.join(dir, 'ses.json'),
      JSON.stringify({
        name: 'ses',
        pid: stranger.pid,
        command: 'node ses-capture-process.mts 8005',
        startedAt: new Date().toISOString(),
      }),
    );
    const pidFiles = new PidFiles(dir);
    expect(await pidFiles.stopLeftovers()).toEqual([]);
    expect(commandLine(stranger.pid!)).toContain('someone-else');
    expect(pidFiles.list()).toEqual([]);
  });

  it('drops records of processes that are gone and files that are not pid records', async () => {
    const gone = leftover('gone');
    const pidFiles = new PidFiles(dir);
    pidFiles.record('dynamodb', gone.pid!);
    gone.kill('SIGKILL');
    await exited(gone);
    writeFileSync(path.join(dir, 'garbage.json'), 'not json');
    expect(await pidFiles.stopLeftovers()).toEqual([]);
    expect(pidFiles.list()).toEqual([]);
    expect(() => readFileSync(path.join(dir, 'garbage.json'))).toThrow();
  });

  it('has nothing to stop when the directory does not exist yet', async () => {
    expect(await new PidFiles(path.join(dir, 'missing')).stopLeftovers()).toEqual([]);
  });
});
