/**
 * A local service the local cloud can stop and start again while everything else keeps running: the same port
 * (so every client's endpoint stays right) and the same data folder when it persists. It rehearses an outage of
 * the real service (DynamoDB unreachable for a moment) and proves that nothing is lost once it is back.
 *
 * Supervised (supervise()), it also comes back by itself: when its process ends without stop() having been called
 * (a crash, a kill -9), it reports one line naming the service, clears what the process left (pid files, a JVM
 * whose keeper was killed), starts it again the same way, and tries again with a growing delay while that fails.
 * A stop() is a decision of its caller (an outage rehearsal, the local cloud's own stop): nothing restarts it
 * until start() is called.
 */
import { describeExit, type LocalService, type ServiceExit } from './service';

/** What the local cloud lets a caller (a fault test, an operator) do with one of its services. */
export interface ServiceControl {
  readonly name: string;
  /** Whether it was started and not stopped since (not whether it answers: see healthy()). */
  readonly running: boolean;
  /** Stops its processes; resolves once they are gone (the port is free). Stopping a stopped service does nothing. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it answers. Starting a running service does nothing. */
  start(): Promise<void>;
}

export interface SupervisionOptions {
  /** One line for the console: the service stopped by itself, is back, or could not be started again yet. */
  report(message: string): void;
  /** Runs each time it answers again after a crash, before it is reported back (tables into a new DynamoDB Local). */
  recover?(): Promise<void>;
  /** The pause before the next attempt after `failures` failed ones (default 1, 2, 4 … 30 s). */
  retryDelayMs?(failures: number): number;
}

const defaultRetryDelayMs = (failures: number) => Math.min(30_000, 1000 * 2 ** (failures - 1));

export class RestartableService implements ServiceControl {
  private current: LocalService | undefined;
  /** A start or stop in progress: the next one waits for it, so two callers never start two processes. */
  private transition: Promise<unknown> = Promise.resolve();
  /** Whether its caller wants it running: set by start(), cleared by stop(). Only then is a crash restarted. */
  private wanted = false;
  private supervision: SupervisionOptions | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly endpoint: string,
    private readonly launch: () => Promise<LocalService>,
    /** Told about every process started (to record pid files) and stopped (to remove them). */
    private readonly hooks: { started(service: LocalService): void; stopped(service: LocalService): void },
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  start(): Promise<void> {
    this.wanted = true;
    return this.serially(() => this.launchIfStopped());
  }

  stop(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    return this.serially(async () => {
      const service = this.current;
      if (!service) return;
      this.current = undefined;
      await service.stop();
      this.hooks.stopped(service);
    });
  }

  /** Whether it answers right now (false while stopped). */
  async healthy(): Promise<boolean> {
    return this.current?.healthy() ?? false;
  }

  /** From now on, an end of its process that stop() did not ask for is reported and the service started again. */
  supervise(options: SupervisionOptions): void {
    this.supervision = options;
  }

  private async launchIfStopped(): Promise<void> {
    if (this.current) return;
    const service = await this.launch();
    this.current = service;
    this.hooks.started(service);
    void service.exited.then((exit) => this.ended(service, exit));
  }

  /** Its process ended. stop() forgets a service before stopping it, so one still current ended by itself. */
  private ended(service: LocalService, exit: ServiceExit): void {
    if (this.current !== service) return;
    this.current = undefined;
    // Whatever it left goes first (its pid files, a JVM holding the port), whether or not it comes back.
    void this.serially(async () => {
      await service.stop();
      this.hooks.stopped(service);
    });
    if (!this.supervision || !this.wanted) return;
    this.supervision.report(
      `${service.name} stopped unexpectedly (${describeExit(exit)}); restarting it on port ${service.port}`,
    );
    this.restart(service, 1, Date.now());
  }

  private restart(crashed: LocalService, attempt: number, since: number): void {
    const { report, recover, retryDelayMs = defaultRetryDelayMs } = this.supervision!;
    this.serially(async () => {
      if (!this.wanted) return false;
      await this.launchIfStopped();
      await recover?.();
      return true;
    }).then(
      (restarted) => {
        if (restarted)
          report(
            `${crashed.name} is back on port ${crashed.port} (restarted in ${((Date.now() - since) / 1000).toFixed(1)} s)`,
          );
      },
      (error: unknown) => {
        if (!this.wanted) return;
        const delay = retryDelayMs(attempt);
        report(
          `${crashed.name} could not be restarted yet (${(error as Error).message?.split('\n')[0] ?? String(error)}); trying again in ${(delay / 1000).toFixed(1)} s`,
        );
        this.retryTimer = setTimeout(() => this.restart(crashed, attempt + 1, since), delay);
      },
    );
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const next = this.transition.then(step);
    this.transition = next.catch(() => undefined);
    return next;
  }
}
