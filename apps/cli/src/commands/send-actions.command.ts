import type { SendEventResponse } from '@dingrelay/contracts/client';
import { positionalArgs } from '../args.js';
import type { Command } from '../command.js';
import { formatTime } from '../format.js';
import { fetchListing, PAGE_OPTIONS, PAGE_OPTIONS_HELP } from '../paging.js';
import { renderFields, renderTable } from '../table.js';
import { renderSendStatus } from '../views/send.view.js';

export const cancelCommand: Command = {
  words: ['cancel'],
  summary: 'Stop every batch of a send not yet sent',
  help: 'Usage: dingrelay cancel <sendId>',
  options: {},
  async run({ args, output, client }) {
    const [id] = positionalArgs(args, ['sendId']);
    const result = await client().cancelSend(id!);
    output.result(result, () => renderFields([['cancelled', result.cancelled], ['in flight', result.inFlight]]) + '\n' + renderSendStatus(result.send));
  },
};

export const recallCommand: Command = {
  words: ['recall'],
  summary: "Recall a send's delivered messages (within DingTalk's 24 h)",
  help: 'Usage: dingrelay recall <sendId>\n\nProgress shows in `dingrelay status <sendId>` under recall.',
  options: {},
  async run({ args, output, client }) {
    const [id] = positionalArgs(args, ['sendId']);
    const result = await client().recallSend(id!);
    output.result(result, () =>
      renderFields([
        ['replayed', result.replayed ? 'yes (a recall was already requested)' : 'no'],
        ['batches to recall', result.batchesToRecall],
        ['batches expired', result.batchesExpired],
        ['batches in flight', result.batchesInFlight],
        ['recipients cancelled', result.recipientsCancelled],
      ]),
    );
  },
};

export const refreshReadStatusCommand: Command = {
  words: ['refresh-read-status'],
  summary: "Ask DingTalk now who has read a send's delivered messages (within its 24 h)",
  help: `Usage: dingrelay refresh-read-status <sendId>

The worker polls DingTalk's readStatus for every batch with delivered recipients not yet known to have read, now
instead of at its next scheduled poll. The counts show in \`dingrelay status <sendId>\` under read.
Exit 3 when there is nothing left to poll: sent more than 24 h ago, nothing delivered, recalled, or everyone read.`,
  options: {},
  async run({ args, output, client }) {
    const [id] = positionalArgs(args, ['sendId']);
    const result = await client().refreshReadStatus(id!);
    output.result(
      result,
      () =>
        renderFields([
          ['send', result.id],
          ['batches to poll', result.batches],
          ['unread recipients', result.unreadRecipients],
        ]) + `\nThe read counts update in: dingrelay status ${result.id}\n`,
    );
  },
};

export const eventsCommand: Command = {
  words: ['events'],
  summary: "A send's timeline, oldest first",
  help: `Usage: dingrelay events <sendId> [paging]

Options:
${PAGE_OPTIONS_HELP}`,
  options: { ...PAGE_OPTIONS },
  async run({ values, args, output, client }) {
    const [id] = positionalArgs(args, ['sendId']);
    const page = await fetchListing(values, output, (p) => client().listSendEvents(id!, p));
    output.result(page, () =>
      renderTable<SendEventResponse>(page.items, [
        { header: 'TIME', value: (e) => formatTime(e.occurredAt) },
        { header: 'EVENT', value: (e) => e.type },
        { header: 'BATCH', value: (e) => e.batchId?.slice(0, 8) },
        { header: 'DETAILS', value: (e) => JSON.stringify(e.details), maxWidth: 80 },
      ]),
    );
  },
};
