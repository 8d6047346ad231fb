import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownState } from './shutdown-state.js';

/** Down from the moment shutdown begins: the process finishes what it has but should be sent nothing new. */
@Injectable()
export class ShutdownHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly state: ShutdownState,
  ) {}

  check(): HealthIndicatorResult<'shutdown'> {
    const session = this.health.check('shutdown');
    const since = this.state.startedAt;
    return since ? session.down({ message: 'shutting down', since: since.toISOString() }) : session.up();
  }
}
