import type { InboundMessageResponse } from '@dingrelay/contracts/client';
import { positionalArgs, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { formatTime } from '../format.js';
import { fetchListing, PAGE_OPTIONS, PAGE_OPTIONS_HELP } from '../paging.js';
import { type Column, renderTable } from '../table.js';
import { createdRange, TIME_RANGE_OPTIONS, timeRangeHelp } from '../time-range.js';

/** DingTalk's conversationType: "1" a one-to-one chat with the robot, "2" a group that @-mentioned it. */
const CONVERSATION_TYPES: Record<string, string> = { '1': 'single', '2': 'group' };

const COLUMNS: Column<InboundMessageResponse>[] = [
  { header: 'SENT', value: (m) => formatTime(m.createAt) },
  { header: 'CONFIGURATION', value: (m) => m.chatConfiguration },
  { header: 'SENDER', value: (m) => m.senderStaffId ?? m.senderId },
  { header: 'NAME', value: (m) => m.senderNick, maxWidth: 20 },
  { header: 'CHAT', value: (m) => (m.conversationType === null ? null : (CONVERSATION_TYPES[m.conversationType] ?? m.conversationType)) },
  { header: 'CONVERSATION', value: (m) => m.conversationId, maxWidth: 30 },
  { header: 'TYPE', value: (m) => m.msgtype },
  // Text messages by their text; the other types (richText, picture, file, …) by DingTalk's content object.
  { header: 'MESSAGE', value: (m) => m.text ?? (m.content == null ? null : JSON.stringify(m.content)), maxWidth: 60 },
];

export const inboundCommand: Command = {
  words: ['inbound'],
  summary: 'Messages users sent the robots (pushed by DingTalk), newest first',
  help: `Usage: dingrelay inbound [filters] [paging]

Filters:
  --configuration <name>     the chat configuration whose robot received it
  --sender <userId>          the sender's userId (DingTalk's senderStaffId)
  --msgtype <type>           text, richText, picture, audio, video, file
  --conversation-id <id>     one conversation (DingTalk's conversationId)
${timeRangeHelp('sent')}
Paging:
${PAGE_OPTIONS_HELP}

--json prints the API's page: {items, nextToken}, each item with DingTalk's fields (content, senderNick, …).`,
  options: {
    configuration: { type: 'string' },
    sender: { type: 'string' },
    msgtype: { type: 'string' },
    'conversation-id': { type: 'string' },
    ...TIME_RANGE_OPTIONS,
    ...PAGE_OPTIONS,
  },
  async run({ values, args, output, client }) {
    positionalArgs(args, []);
    const filters = {
      chatConfiguration: stringOption(values, 'configuration'),
      senderStaffId: stringOption(values, 'sender'),
      msgtype: stringOption(values, 'msgtype'),
      conversationId: stringOption(values, 'conversation-id'),
      ...createdRange(values),
    };
    const page = await fetchListing(values, output, (p) => client().listInboundMessages({ ...filters, ...p }));
    output.result(page, () => renderTable(page.items, COLUMNS));
  },
};
