import { applyDecorators, Controller, Get, Header, Res, type Type } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import { type HealthAnswer, HealthChecks } from './health-checks.js';

/** What an app adds to the probes: the API says who may call them and documents them (OpenAPI); the worker nothing. */
export interface HealthRouteDecorators {
  controller?: ClassDecorator[];
  live?: MethodDecorator[];
  ready?: MethodDecorator[];
}

/** The part of the HTTP response the probes set (Express's, without tying this lib to Express). */
interface StatusResponse {
  status(code: number): unknown;
}

/**
 * GET /health/live and /health/ready, the same routes for the API and the worker; never cached. Made per app because
 * the decorators differ (`decorators`), as metricsController.
 */
export function healthController(decorators: HealthRouteDecorators = {}): Type {
  @applyDecorators(...(decorators.controller ?? []))
  @Controller('health')
  class HealthController {
    constructor(private readonly checks: HealthChecks) {}

    @Get('live')
    @Header('Cache-Control', 'no-store')
    @applyDecorators(...(decorators.live ?? []))
    live(@Res({ passthrough: true }) res: StatusResponse): HealthCheckResult {
      return answer(res, this.checks.live());
    }

    @Get('ready')
    @Header('Cache-Control', 'no-store')
    @applyDecorators(...(decorators.ready ?? []))
    async ready(@Res({ passthrough: true }) res: StatusResponse): Promise<HealthCheckResult> {
      return answer(res, await this.checks.ready());
    }
  }
  return HealthController;
}

function answer(res: StatusResponse, health: HealthAnswer): HealthCheckResult {
  res.status(health.httpStatus);
  return health.body;
}
