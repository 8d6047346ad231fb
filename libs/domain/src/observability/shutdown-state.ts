import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Whether this process has begun shutting down. Graceful shutdown calls `begin()` on SIGTERM before it drains, so
 * /health/ready answers 503 at once and load balancers and orchestrators stop sending work while in-flight work
 * finishes; `app.close()` begins it too, for shutdowns that come another way.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private since: Date | undefined;

  get draining(): boolean {
    return this.since !== undefined;
  }

  /** When shutdown began; undefined while the process serves. */
  get startedAt(): Date | undefined {
    return this.since;
  }

  /** Idempotent: the first call's time is kept. */
  begin(): void {
    this.since ??= new Date();
  }

  beforeApplicationShutdown(): void {
    this.begin();
  }
}
