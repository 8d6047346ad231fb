import type { ConfigurationUsage } from '@dingrelay/contracts/client';
import { positionalArgs, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { formatCount, formatTime } from '../format.js';
import { type Column, renderTable } from '../table.js';

const COLUMNS: Column<ConfigurationUsage>[] = [
  { header: 'CONFIGURATION', value: (u) => u.chatConfiguration },
  { header: 'CALLS', value: (u) => formatCount(u.calls), align: 'right' },
  { header: 'BILLABLE', value: (u) => formatCount(u.billableCalls), align: 'right' },
  { header: 'RECIPIENTS', value: (u) => formatCount(u.recipients), align: 'right' },
  { header: 'DELIVERED', value: (u) => formatCount(u.delivered), align: 'right' },
  { header: 'THROTTLED', value: (u) => formatCount(u.throttled), align: 'right' },
  { header: 'ERRORS', value: (u) => formatCount(u.errors), align: 'right' },
  { header: 'QUOTA USED', value: (u) => `${(u.quota.usedRatio * 100).toFixed(1)}% of ${formatCount(u.quota.monthlyCalls)}${u.quota.warning ? ' (!)' : ''}`, align: 'right' },
  { header: 'PAUSED UNTIL', value: (u) => formatTime(u.pause?.until) },
];

export const usageCommand: Command = {
  words: ['usage'],
  summary: 'DingTalk calls per chat configuration for a month, against the quota',
  help: `Usage: dingrelay usage [--month YYYY-MM]

Options:
  --month <YYYY-MM>   the month (DingTalk's time zone); the current one when omitted`,
  options: { month: { type: 'string' } },
  async run({ values, args, output, client }) {
    positionalArgs(args, []);
    const month = stringOption(values, 'month');
    if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM, got "${month}"`);
    const usage = await client().getUsage({ month });
    output.result(usage, () => `${usage.month} (${usage.timeZone})\n\n${renderTable(usage.configurations, COLUMNS)}`);
  },
};
