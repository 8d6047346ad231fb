import { Injectable } from '@nestjs/common';
import type { HealthCheckAttempt } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { TimedHealthCheck } from './timed-health-check.js';

/** Postgres answers a query through the app's own pool, within the check timeout. */
@Injectable()
export class PostgresHealthIndicator {
  constructor(
    private readonly health: TimedHealthCheck,
    private readonly dataSource: DataSource,
  ) {}

  check(): HealthCheckAttempt<'postgres'> {
    return this.health.attempt('postgres', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
