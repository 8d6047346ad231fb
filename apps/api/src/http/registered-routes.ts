import type { Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

export interface RegisteredRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'all';
  /** `/v1/sends/:id`, as Nest registered it. */
  route: string;
  controller: Type;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  handler: Function;
}

/** Every HTTP route of the app's controllers, read from the same metadata Nest's router is built from. */
export function registeredRoutes(app: { get(token: typeof ModulesContainer): ModulesContainer }): RegisteredRoute[] {
  return routesOf(app.get(ModulesContainer));
}

export function routesOf(modules: ModulesContainer): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const bases = paths(Reflect.getMetadata(PATH_METADATA, controller));
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const base of bases) {
          for (const path of paths(Reflect.getMetadata(PATH_METADATA, handler))) {
            const route = `/${[base, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
            routes.push({ method: RequestMethod[method].toLowerCase() as RegisteredRoute['method'], route, controller, handler });
          }
        }
      }
    }
  }
  return routes;
}

function paths(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}
