import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS_PREFIX = 'dingrelay_';

/**
 * One registry per Nest app, never prom-client's global one: several apps run in one test process, and each must
 * expose only its own metrics.
 */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

/** Shared through globalThis: jest loads modules once per test file, but the process (and its timers) outlives them. */
const PROCESS_METRICS = Symbol.for('dingrelay.processMetricsRegistry');

/**
 * Node's process metrics (CPU, memory, event loop lag, GC), prefixed dingrelay_, collected once per process: they
 * describe the process, not an app, and each collection keeps an event-loop timer and a GC observer running for good,
 * so one per app would pile up in a test process that starts dozens of apps.
 */
export function processMetricsRegistry(): Pick<Registry, 'metrics'> {
  const holder = globalThis as { [PROCESS_METRICS]?: Pick<Registry, 'metrics'> };
  if (!holder[PROCESS_METRICS]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });
    holder[PROCESS_METRICS] = registry;
  }
  return holder[PROCESS_METRICS];
}
