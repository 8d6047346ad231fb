import type { DingrelayClient, Page, PageParams, Paged } from '@dingrelay/contracts/client';
import { type OptionValues, positionalArgs } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { HISTORY_FILTER_OPTIONS, HISTORY_FILTERS_HELP, recipientFilters, rejectForeignFilters, sendFilters } from '../history-options.js';
import { fetchListing, PAGE_OPTIONS, PAGE_OPTIONS_HELP } from '../paging.js';
import { type Column, renderTable } from '../table.js';
import { RECIPIENT_HISTORY_COLUMNS, SEND_HISTORY_COLUMNS } from '../views/history.view.js';

type View = 'sends' | 'recipients';

const OTHER_VIEW: Record<View, View> = { sends: 'recipients', recipients: 'sends' };

/** The two history views list the same way (filters, paging, a table); they differ in what they ask for and show. */
function historyCommand<T>(spec: {
  view: View;
  summary: string;
  usage: string;
  /** Reads (and checks) the view's filters, and says how to fetch one page with them. */
  lister(values: OptionValues, client: () => DingrelayClient): (page: PageParams) => Paged<T, Page<T>>;
  columns: Column<T>[];
}): Command {
  return {
    words: ['history', spec.view],
    summary: spec.summary,
    help: `Usage: ${spec.usage}

${HISTORY_FILTERS_HELP}
Paging:
${PAGE_OPTIONS_HELP}`,
    options: { ...HISTORY_FILTER_OPTIONS, ...PAGE_OPTIONS },
    async run({ values, args, output, client }) {
      positionalArgs(args, []);
      const foreign = rejectForeignFilters(values, spec.view);
      if (foreign) throw new UsageError(`--${foreign} filters history ${OTHER_VIEW[spec.view]}, not ${spec.view}`);
      const fetchPage = spec.lister(values, client);
      const page = await fetchListing(values, output, fetchPage);
      output.result(page, () => renderTable(page.items, spec.columns));
    },
  };
}

export const historySendsCommand = historyCommand({
  view: 'sends',
  summary: 'Send history, newest first, filtered and paged',
  usage: 'dingrelay history sends [filters] [paging]',
  lister(values, client) {
    const filters = sendFilters(values);
    return (p) => client().listSends({ ...filters, ...p });
  },
  columns: SEND_HISTORY_COLUMNS,
});

export const historyRecipientsCommand = historyCommand({
  view: 'recipients',
  summary: 'Everything one user was sent, newest first',
  usage: 'dingrelay history recipients --user <userId> [filters] [paging]',
  lister(values, client) {
    const { userId, ...filters } = recipientFilters(values);
    if (!userId) throw new UsageError('--user <userId> is required (to export every recipient row, use dingrelay export recipients)');
    return (p) => client().listUserRecipients({ ...filters, userId, ...p });
  },
  columns: RECIPIENT_HISTORY_COLUMNS,
});
