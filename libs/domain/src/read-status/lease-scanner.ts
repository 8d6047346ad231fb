import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * The lifecycle of a worker's periodic scan for work kept in Postgres under leases (read-status polls, recalls): a
 * timer started at boot, one scan at a time (overlapping calls share the scan under way), and a shutdown that stops
 * taking up new work and waits for the scan under way. What a scan claims and runs is the subclass's `scan`.
 */
export abstract class LeaseScanner implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Set at shutdown: a scan checks it between claims, leaving the rest to their leases. */
  protected stopped = false;

  constructor(private readonly intervalMs: number) {}

  /** Claims and runs what is due, page after page, until none is left or the scanner stops; returns how much it took up. */
  protected abstract scan(): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.scanOnce().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs a scan now, or joins the one under way. */
  scanOnce(): Promise<number> {
    this.running ??= this.scan().finally(() => (this.running = undefined));
    return this.running;
  }
}
