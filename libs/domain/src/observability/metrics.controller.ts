import { applyDecorators, Controller, Get, Header, Res, type Type } from '@nestjs/common';
import { MetricsScrape } from './metrics-scrape.js';

/** What an app adds to GET /metrics: the API says who may scrape and documents it (OpenAPI); the worker nothing. */
export interface MetricsRouteDecorators {
  controller?: ClassDecorator[];
  metrics?: MethodDecorator[];
}

/** The part of the HTTP response the scrape sets (Express's, without tying this lib to Express). */
interface TypedResponse {
  type(contentType: string): unknown;
}

/** GET /metrics for Prometheus (text exposition format, never cached), the same route for the API and the worker. */
export function metricsController(decorators: MetricsRouteDecorators = {}): Type {
  @applyDecorators(...(decorators.controller ?? []))
  @Controller('metrics')
  class MetricsController {
    constructor(private readonly scrape: MetricsScrape) {}

    @Get()
    @Header('Cache-Control', 'no-store')
    @applyDecorators(...(decorators.metrics ?? []))
    async metrics(@Res({ passthrough: true }) res: TypedResponse): Promise<string> {
      const exposition = await this.scrape.render();
      res.type(exposition.contentType);
      return exposition.body;
    }
  }
  return MetricsController;
}
