/**
 * A local service the local cloud can stop and start again while everything else keeps running: the same port
 * (so every client's endpoint stays right) and the same data folder when it persists. It rehearses an outage of
 * the real service (DynamoDB unreachable for a moment) and proves that nothing is lost once it is back.
 */
import type { LocalService } from './service';

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

export class RestartableService implements ServiceControl {
  private current: LocalService | undefined;
  /** A start or stop in progress: the next one waits for it, so two callers never start two processes. */
  private transition: Promise<void> = Promise.resolve();

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
    return this.serially(async () => {
      if (this.current) return;
      const service = await this.launch();
      this.current = service;
      this.hooks.started(service);
    });
  }

  stop(): Promise<void> {
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

  private serially(step: () => Promise<void>): Promise<void> {
    const next = this.transition.then(step);
    this.transition = next.catch(() => undefined);
    return next;
  }
}
