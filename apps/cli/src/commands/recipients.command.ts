import { RECIPIENT_STATUSES, type RecipientOutcome } from '@dingrelay/contracts/client';
import { choiceOption, positionalArgs } from '../args.js';
import type { Command } from '../command.js';
import { formatTime } from '../format.js';
import { fetchListing, PAGE_OPTIONS, PAGE_OPTIONS_HELP } from '../paging.js';
import { type Column, renderTable } from '../table.js';

const COLUMNS: Column<RecipientOutcome>[] = [
  { header: 'USER', value: (r) => r.userId },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'REASON', value: (r) => r.reasonCode, maxWidth: 40 },
  { header: 'ATTEMPTS', value: (r) => r.attempts, align: 'right' },
  { header: 'DELIVERED', value: (r) => formatTime(r.deliveredAt) },
  { header: 'READ', value: (r) => r.readStatus },
  { header: 'RECALL', value: (r) => r.recallStatus },
];

export const recipientsCommand: Command = {
  words: ['recipients'],
  summary: "Each recipient's outcome for one send",
  help: `Usage: dingrelay recipients <sendId> [--status <status>] [paging]

Options:
  --status <status>      only recipients in this status: ${RECIPIENT_STATUSES.join(', ')}
${PAGE_OPTIONS_HELP}`,
  options: { status: { type: 'string' }, ...PAGE_OPTIONS },
  async run({ values, args, output, client }) {
    const [id] = positionalArgs(args, ['sendId']);
    const status = choiceOption(values, 'status', RECIPIENT_STATUSES);
    const page = await fetchListing(values, output, (p) => client().listSendRecipients(id!, { status, ...p }));
    output.result(page, () => renderTable(page.items, COLUMNS));
  },
};
