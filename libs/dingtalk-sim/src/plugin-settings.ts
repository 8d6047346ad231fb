/**
 * Switches of the quick-entry APIs (spec §6): DingTalk publishes no maximum number of entries (UNCONFIRMED), so the
 * limit behind `invalidRequest.exceededMaximumLimit` is a setting; robots listed as stopped answer
 * `invalidRequest.robotIsStop` ("disabled by the organization").
 */
export interface PluginSettings {
  maxPerRobot: number;
  stoppedRobotCodes: readonly string[];
}

export interface PluginConfig {
  /** Above this many entries in one `plugins/set` → `invalidRequest.exceededMaximumLimit` (default 10). */
  maxPerRobot?: number;
  /** Robots the organization disabled: every plugin call naming them → `invalidRequest.robotIsStop`. */
  stoppedRobotCodes?: readonly string[];
}

export const DEFAULT_PLUGIN_SETTINGS: PluginSettings = { maxPerRobot: 10, stoppedRobotCodes: [] };

/** `fail` builds the config error (the caller's SimConfigError; taking it avoids an import cycle with the config). */
export function parsePluginSettings(value: unknown, fail: (message: string) => Error): PluginSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('plugins: expected an object');
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'maxPerRobot' && key !== 'stoppedRobotCodes') throw fail(`plugins: unknown key "${key}"`);
  }
  const settings = { ...DEFAULT_PLUGIN_SETTINGS };
  if (o.maxPerRobot !== undefined) {
    if (!Number.isSafeInteger(o.maxPerRobot) || (o.maxPerRobot as number) < 0) {
      throw fail('plugins.maxPerRobot: expected an integer >= 0');
    }
    settings.maxPerRobot = o.maxPerRobot as number;
  }
  if (o.stoppedRobotCodes !== undefined) {
    if (!Array.isArray(o.stoppedRobotCodes) || o.stoppedRobotCodes.some((v) => typeof v !== 'string')) {
      throw fail('plugins.stoppedRobotCodes: expected an array of strings');
    }
    settings.stoppedRobotCodes = [...(o.stoppedRobotCodes as string[])];
  }
  return settings;
}
