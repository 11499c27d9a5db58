/**
 * RestartableService: a local service stopped and started again while the local cloud runs (an outage
 * rehearsal), and, supervised, started again when its process dies by itself. Its processes are stand-ins here;
 * tests/faults/faults.test.ts restarts the real DynamoDB Local, tests/faults/supervision.test.ts kills it.
 */
import { RestartableService } from '../../local/services/restartable-service';
import type { LocalService, ServiceExit } from '../../local/services/service';
import { eventually } from '../support/eventually';

/** A stand-in process: `crash` ends it as a kill -9 would; stop() ends it as asked. */
type StandIn = LocalService & { crash(): void };

function harness(failLaunches: number[] = []) {
  const launched: StandIn[] = [];
  const events: string[] = [];
  let launches = 0;
  const service = new RestartableService(
    'dynamodb',
    'http://127.0.0.1:8000',
    async () => {
      launches += 1;
      events.push(`launch ${launches}`);
      if (failLaunches.includes(launches)) throw new Error('port in use');
      const pid = 100 + launches;
      let end!: (exit: ServiceExit) => void;
      const exited = new Promise<ServiceExit>((resolve) => {
        end = resolve;
      });
      const process: StandIn = {
        name: 'DynamoDB Local',
        endpoint: 'http://127.0.0.1:8000',
        port: 8000,
        pids: [pid],
        healthy: async () => true,
        stop: async () => {
          events.push(`stopped ${pid}`);
          end({ code: 0, signal: null, output: '' });
        },
        exited,
        crash: () => end({ code: null, signal: 'SIGKILL', output: '' }),
      };
      launched.push(process);
      return process;
    },
    {
      started: (process) => events.push(`recorded ${process.pids[0]}`),
      stopped: (process) => events.push(`removed ${process.pids[0]}`),
    },
  );
  return { service, launched, events };
}

test('stop then start runs a new process, recording and removing its pids; healthy only while running', async () => {
  const { service, events } = harness();
  await service.start();
  expect(service.running).toBe(true);
  expect(await service.healthy()).toBe(true);
  await service.stop();
  expect(service.running).toBe(false);
  expect(await service.healthy()).toBe(false);
  await service.start();
  expect(events).toEqual(['launch 1', 'recorded 101', 'stopped 101', 'removed 101', 'launch 2', 'recorded 102']);
});

test('starting a running service or stopping a stopped one does nothing; calls at once run one after another', async () => {
  const { service, launched, events } = harness();
  await Promise.all([service.start(), service.start(), service.start()]);
  expect(launched).toHaveLength(1);
  await Promise.all([service.stop(), service.stop()]);
  expect(events).toEqual(['launch 1', 'recorded 101', 'stopped 101', 'removed 101']);
});

test('a start that fails leaves it stopped, and the next start tries again', async () => {
  const { service, launched } = harness([1]);
  await expect(service.start()).rejects.toThrow('port in use');
  expect(service.running).toBe(false);
  await service.start();
  expect(service.running).toBe(true);
  expect(launched).toHaveLength(1);
});

describe('supervised', () => {
  function supervised(failLaunches: number[] = [], recover?: () => Promise<void>, retryDelayMs = 0) {
    const setup = harness(failLaunches);
    const reports: string[] = [];
    setup.service.supervise({ report: (line) => reports.push(line), recover, retryDelayMs: () => retryDelayMs });
    return { ...setup, reports };
  }

  test('a process that dies is reported in one line naming the service, cleared and started again', async () => {
    const recovered: string[] = [];
    const { service, launched, events, reports } = supervised([], async () => {
      recovered.push('tables');
    });
    await service.start();
    launched[0].crash();
    await eventually('the restart', async () => (launched.length === 2 && reports.length === 2 ? true : undefined));
    expect(reports).toEqual([
      'DynamoDB Local stopped unexpectedly (killed by SIGKILL); restarting it on port 8000',
      expect.stringMatching(/^DynamoDB Local is back on port 8000 \(restarted in \d+\.\d s\)$/),
    ]);
    // What the dead process left is cleared (its pid files) before the new one is recorded; recover ran once.
    expect(events).toEqual(['launch 1', 'recorded 101', 'stopped 101', 'removed 101', 'launch 2', 'recorded 102']);
    expect(recovered).toEqual(['tables']);
    expect(service.running).toBe(true);
  });

  test('a stop is not a crash: the process it ends is not started again', async () => {
    const { service, launched, events, reports } = supervised();
    await service.start();
    await service.stop();
    await launched[0].exited;
    // Whatever the exit set in motion has run by the time a later start() gets its turn.
    await service.start();
    expect(events).toEqual(['launch 1', 'recorded 101', 'stopped 101', 'removed 101', 'launch 2', 'recorded 102']);
    expect(reports).toEqual([]);
  });

  test('a crash while a stop is on its way is not restarted either', async () => {
    const { service, launched, reports } = supervised();
    await service.start();
    const stopping = service.stop();
    launched[0].crash();
    await stopping;
    expect(service.running).toBe(false);
    expect(reports).toEqual([]);
    await service.start();
    expect(launched).toHaveLength(2);
  });

  test('a restart that fails is reported and tried again until it works', async () => {
    const { service, launched, reports } = supervised([2, 3]);
    await service.start();
    launched[0].crash();
    await eventually('the third attempt', async () =>
      launched.length === 2 && reports.length === 4 ? true : undefined,
    );
    expect(reports).toEqual([
      'DynamoDB Local stopped unexpectedly (killed by SIGKILL); restarting it on port 8000',
      'DynamoDB Local could not be restarted yet (port in use); trying again in 0.0 s',
      'DynamoDB Local could not be restarted yet (port in use); trying again in 0.0 s',
      expect.stringMatching(/^DynamoDB Local is back on port 8000/),
    ]);
  });

  test('a stop during the retries ends them', async () => {
    // The next attempt would come in an hour: the stop must cancel it (jest would wait for the timer otherwise).
    const { service, launched, reports } = supervised([2], undefined, 3_600_000);
    await service.start();
    launched[0].crash();
    await eventually('the failed attempt', async () => (reports.length === 2 ? true : undefined));
    expect(reports[1]).toMatch(/trying again in 3600\.0 s$/);
    await service.stop();
    expect(service.running).toBe(false);
    // The next start is the caller's, and the only launch after the stop.
    await service.start();
    expect(launched).toHaveLength(2);
    expect(reports.filter((line) => line.includes('is back'))).toEqual([]);
  });

  test('without supervision a crash only clears what the process left', async () => {
    const { service, launched, events } = harness();
    await service.start();
    launched[0].crash();
    await eventually('the clearing', async () => (events.includes('removed 101') ? true : undefined));
    await service.stop();
    expect(events).toEqual(['launch 1', 'recorded 101', 'stopped 101', 'removed 101']);
    expect(service.running).toBe(false);
  });
});
