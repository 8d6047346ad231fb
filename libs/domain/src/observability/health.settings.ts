export interface HealthSettings {
  /** Each readiness indicator gives up (and reports down) after this long: a dead dependency never hangs a probe. */
  checkTimeoutMs: number;
}

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = { checkTimeoutMs: 2_000 };

export const HEALTH_SETTINGS = Symbol('HEALTH_SETTINGS');
