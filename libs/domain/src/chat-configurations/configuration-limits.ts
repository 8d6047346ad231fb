import type { DataSource } from 'typeorm';
import type { DingTalkLimits } from '../usage/dingtalk-limits.js';

/**
 * The deployment's limits with each named configuration's own overrides (calls/s, pace share, monthly quota), read
 * from the non-secret columns: for progress estimates and usage, which need no credentials. Names without a row
 * (pinned in tests, deleted since) get the defaults.
 */
export async function configurationLimits(
  dataSource: DataSource,
  names: readonly string[],
  defaults: DingTalkLimits,
): Promise<Map<string, DingTalkLimits>> {
  const rows: { name: string; calls_per_second: number | null; pace_utilization: number | null; monthly_call_quota: number | null }[] =
    names.length === 0
      ? []
      : await dataSource.query(
          `SELECT name, calls_per_second, pace_utilization, monthly_call_quota FROM chat_configurations WHERE name = ANY($1)`,
          [[...names]],
        );
  const byName = new Map(names.map((name) => [name, defaults]));
  for (const row of rows) {
    byName.set(row.name, {
      ...defaults,
      callsPerSecond: row.calls_per_second ?? defaults.callsPerSecond,
      paceUtilization: row.pace_utilization ?? defaults.paceUtilization,
      monthlyCallQuota: row.monthly_call_quota ?? defaults.monthlyCallQuota,
    });
  }
  return byName;
}
