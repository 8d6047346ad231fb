import { Injectable, type NestMiddleware } from '@nestjs/common';
import { DingrelayMetrics } from '@dingrelay/domain';
import type { NextFunction, Request, Response } from 'express';

/** Counts each answered request by method, route pattern (`/v1/sends/:id`, never the id itself) and status. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: DingrelayMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    res.once('finish', () => {
      this.metrics.httpRequests.inc({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  }
}

/** The matched route's pattern; requests that matched none share one label, so probing paths adds no series. */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
}
