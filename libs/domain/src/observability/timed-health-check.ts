import { Inject, Injectable } from '@nestjs/common';
import { type HealthCheckAttempt, HealthIndicatorService } from '@nestjs/terminus';
import { HEALTH_SETTINGS, type HealthSettings } from './health.settings.js';

/**
 * A readiness indicator's check: up when `probe` resolves (with its data), down with its error's message, and down
 * after the configured check timeout, so a dead dependency never hangs a probe. The indicators say what to probe.
 */
@Injectable()
export class TimedHealthCheck {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(HEALTH_SETTINGS) private readonly settings: HealthSettings,
  ) {}

  attempt<Key extends string>(key: Key, probe: () => Promise<Record<string, unknown> | void>): HealthCheckAttempt<Key> {
    return this.health.check(key).attempt(probe).withTimeout(this.settings.checkTimeoutMs);
  }
}
