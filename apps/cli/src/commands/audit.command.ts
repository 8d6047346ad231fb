import { AUDIT_OUTCOMES, type AuditEventResponse } from '@dingrelay/contracts/client';
import { choiceOption, positionalArgs, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { formatTime } from '../format.js';
import { fetchListing, PAGE_OPTIONS, PAGE_OPTIONS_HELP } from '../paging.js';
import { type Column, renderTable } from '../table.js';
import { TIME_RANGE_OPTIONS, timeRange, timeRangeHelp } from '../time-range.js';

const COLUMNS: Column<AuditEventResponse>[] = [
  { header: 'TIME', value: (e) => formatTime(e.occurredAt) },
  { header: 'ACTOR', value: (e) => e.actor.name },
  { header: 'ROLE', value: (e) => e.actor.role },
  { header: 'ACTION', value: (e) => e.action },
  { header: 'TARGET', value: (e) => `${e.target.type}:${e.target.id}`, maxWidth: 50 },
  { header: 'OUTCOME', value: (e) => e.outcome },
  { header: 'REQUEST', value: (e) => e.requestId },
];

export const auditCommand: Command = {
  words: ['audit'],
  summary: 'The audit log, newest first',
  help: `Usage: dingrelay audit [filters] [paging]

Filters:
  --action <action>        e.g. send.create, send.cancel, api-key.create
  --actor-key <id>         the API key that acted
  --target-type <type>     e.g. send
  --target-id <id>
  --outcome <outcome>      ${AUDIT_OUTCOMES.join(', ')}
${timeRangeHelp('recorded', 27)}
Paging:
${PAGE_OPTIONS_HELP}`,
  options: {
    action: { type: 'string' },
    'actor-key': { type: 'string' },
    'target-type': { type: 'string' },
    'target-id': { type: 'string' },
    outcome: { type: 'string' },
    ...TIME_RANGE_OPTIONS,
    ...PAGE_OPTIONS,
  },
  async run({ values, args, output, client }) {
    positionalArgs(args, []);
    const filters = {
      action: stringOption(values, 'action'),
      actorKeyId: stringOption(values, 'actor-key'),
      targetType: stringOption(values, 'target-type'),
      targetId: stringOption(values, 'target-id'),
      outcome: choiceOption(values, 'outcome', AUDIT_OUTCOMES),
      ...timeRange(values),
    };
    const page = await fetchListing(values, output, (p) => client().listAuditEvents({ ...filters, ...p }));
    output.result(page, () => renderTable(page.items, COLUMNS));
  },
};
