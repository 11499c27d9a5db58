/**
 * RestartableService: a local service stopped and started again while the local cloud runs (an outage
 * rehearsal). Its processes are stand-ins here; tests/faults/faults.test.ts restarts the real DynamoDB Local.
 */
import { RestartableService } from '../../local/services/restartable-service';
import type { LocalService } from '../../local/services/service';

function harness(failFirstLaunch = false) {
  const launched: LocalService[] = [];
  const events: string[] = [];
  let launches = 0;
  const service = new RestartableService(
    'dynamodb',
    'http://127.0.0.1:8000',
    async () => {
      launches += 1;
      if (failFirstLaunch && launches === 1) throw new Error('port in use');
      const pid = 100 + launches;
      const process: LocalService = {
        name: 'DynamoDB Local',
        endpoint: 'http://127.0.0.1:8000',
        port: 8000,
        pids: [pid],
        healthy: async () => true,
        stop: async () => {
          events.push(`stopped ${pid}`);
        },
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
  expect(events).toEqual(['recorded 101', 'stopped 101', 'removed 101', 'recorded 102']);
});

test('starting a running service or stopping a stopped one does nothing; calls at once run one after another', async () => {
  const { service, launched, events } = harness();
  await Promise.all([service.start(), service.start(), service.start()]);
  expect(launched).toHaveLength(1);
  await Promise.all([service.stop(), service.stop()]);
  expect(events).toEqual(['recorded 101', 'stopped 101', 'removed 101']);
});

test('a start that fails leaves it stopped, and the next start tries again', async () => {
  const { service, launched } = harness(true);
  await expect(service.start()).rejects.toThrow('port in use');
  expect(service.running).toBe(false);
  await service.start();
  expect(service.running).toBe(true);
  expect(launched).toHaveLength(1);
});
