export interface MetricsSettings {
  /** How long Postgres-backed gauges (sends, quota) serve one read. */
  cacheMs: number;
  /** Bound of each scrape-time read. */
  readTimeoutMs: number;
}

export const DEFAULT_METRICS_SETTINGS: MetricsSettings = { cacheMs: 5_000, readTimeoutMs: 2_000 };

export const METRICS_SETTINGS = Symbol('METRICS_SETTINGS');
