import { MSG_KEYS, RECIPIENT_STATUSES, type RecipientStatus, SEND_STATUSES, type SendStatus, type MsgKey } from '@dingrelay/contracts/client';
import { choiceOption, type OptionSpecs, type OptionValues, stringOption } from './args.js';
import { createdRange, TIME_RANGE_OPTIONS, timeRangeHelp } from './time-range.js';

/** Filters `history` and `export` share (the API's history filters). */
export const HISTORY_FILTER_OPTIONS = {
  configuration: { type: 'string' },
  'robot-code': { type: 'string' },
  'msg-key': { type: 'string' },
  status: { type: 'string' },
  ...TIME_RANGE_OPTIONS,
  requester: { type: 'string' },
  'idempotency-key': { type: 'string' },
  user: { type: 'string' },
} as const satisfies OptionSpecs;

export const HISTORY_FILTERS_HELP = `Filters:
  --configuration <name>     chat configuration
  --robot-code <code>        robot
  --msg-key <key>            message template
  --status <status>          sends: ${SEND_STATUSES.join(', ')}; recipients: ${RECIPIENT_STATUSES.join(', ')}
${timeRangeHelp('created')}
  --requester <name>         sends: the API key name that made the send
  --idempotency-key <key>    sends: the Idempotency-Key it was created with
  --user <userId>            recipients: one user (required for history recipients)`;

interface CommonFilters {
  chatConfiguration?: string;
  robotCode?: string;
  msgKey?: MsgKey;
  createdFrom?: string;
  createdTo?: string;
}

function common(values: OptionValues): CommonFilters {
  return {
    chatConfiguration: stringOption(values, 'configuration'),
    robotCode: stringOption(values, 'robot-code'),
    msgKey: choiceOption(values, 'msg-key', MSG_KEYS),
    ...createdRange(values),
  };
}

export function sendFilters(values: OptionValues): CommonFilters & { status?: SendStatus; requester?: string; idempotencyKey?: string } {
  return {
    ...common(values),
    status: choiceOption(values, 'status', SEND_STATUSES),
    requester: stringOption(values, 'requester'),
    idempotencyKey: stringOption(values, 'idempotency-key'),
  };
}

export function recipientFilters(values: OptionValues): CommonFilters & { status?: RecipientStatus; userId?: string } {
  return { ...common(values), status: choiceOption(values, 'status', RECIPIENT_STATUSES), userId: stringOption(values, 'user') };
}

/** Options only one of the two views takes, refused on the other rather than silently ignored. */
export function rejectForeignFilters(values: OptionValues, view: 'sends' | 'recipients'): string | undefined {
  const foreign = view === 'sends' ? ['user'] : ['requester', 'idempotency-key'];
  return foreign.find((name) => values[name] !== undefined);
}
