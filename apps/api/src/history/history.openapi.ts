import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { EXPORT_FORMATS, MAX_PAGE_SIZE, MSG_KEYS, RECIPIENT_STATUSES, SEND_STATUSES } from '@dingrelay/contracts';

const TIME = 'ISO-8601 with an offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00';

function common(statuses: readonly string[]): MethodDecorator[] {
  return [
    ApiQuery({ name: 'chatConfiguration', required: false, type: 'string' }),
    ApiQuery({ name: 'robotCode', required: false, type: 'string' }),
    ApiQuery({ name: 'msgKey', required: false, enum: [...MSG_KEYS] }),
    ApiQuery({ name: 'status', required: false, enum: [...statuses] }),
    ApiQuery({ name: 'createdFrom', required: false, type: 'string', description: `Inclusive; ${TIME}` }),
    ApiQuery({ name: 'createdTo', required: false, type: 'string', description: `Exclusive; ${TIME}` }),
  ];
}

const SEND_ONLY = [
  ApiQuery({ name: 'requester', required: false, type: 'string', description: "Name of the API key that made the send" }),
  ApiQuery({ name: 'idempotencyKey', required: false, type: 'string' }),
];

const PAGE = [
  ApiQuery({ name: 'maxResults', required: false, type: 'integer', description: `1-${MAX_PAGE_SIZE}, default 100 (also MaxResults)` }),
  ApiQuery({ name: 'nextToken', required: false, type: 'string', description: "The previous page's nextToken (also NextToken)" }),
];

const FORMAT = ApiQuery({ name: 'format', required: false, enum: [...EXPORT_FORMATS], description: 'Default csv, or by Accept' });
const BOM = ApiQuery({
  name: 'bom',
  required: false,
  type: 'boolean',
  description: 'true: the CSV starts with the UTF-8 byte order mark (EF BB BF), so Excel opens Chinese text intact. CSV only: with NDJSON a 400',
});

/** The query parameters of each history route, for /docs (the query classes validate them). */
export const HistoryQueryDocs = {
  listSends: () => applyDecorators(...common(SEND_STATUSES), ...SEND_ONLY, ...PAGE),
  listRecipients: () =>
    applyDecorators(ApiQuery({ name: 'userId', required: true, type: 'string' }), ...common(RECIPIENT_STATUSES), ...PAGE),
  exportSends: () => applyDecorators(...common(SEND_STATUSES), ...SEND_ONLY, FORMAT, BOM),
  exportRecipients: () =>
    applyDecorators(ApiQuery({ name: 'userId', required: false, type: 'string' }), ...common(RECIPIENT_STATUSES), FORMAT, BOM),
};
