import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { routesOf } from './registered-routes.js';

/**
 * Which methods the API's routes answer on a path: what a 405 names in `Allow` when a path exists but not with the
 * request's method. Built once, on first use, from the same metadata Nest's router is built from.
 */
@Injectable()
export class AllowedMethods {
  private table?: { pattern: RegExp; methods: Set<string> }[];

  constructor(private readonly modules: ModulesContainer) {}

  /** The methods (upper case, HEAD with GET) routes answer on `path`; empty when no route has the path. */
  on(path: string): string[] {
    this.table ??= this.build();
    const methods = new Set<string>();
    for (const route of this.table) if (route.pattern.test(path)) route.methods.forEach((m) => methods.add(m));
    return [...methods].sort();
  }

  private build(): { pattern: RegExp; methods: Set<string> }[] {
    const byRoute = new Map<string, Set<string>>();
    for (const { route, method } of routesOf(this.modules)) {
      const methods = byRoute.get(route) ?? new Set<string>();
      const upper = method.toUpperCase();
      if (upper === 'ALL') continue;
      methods.add(upper);
      if (upper === 'GET') methods.add('HEAD');
      byRoute.set(route, methods);
    }
    return [...byRoute].map(([route, methods]) => ({ pattern: routePattern(route), methods }));
  }
}

/** `/v1/sends/:id` → a pattern for one path segment per parameter (an optional trailing slash, as Express allows). */
function routePattern(route: string): RegExp {
  const source = route
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
