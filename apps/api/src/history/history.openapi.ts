import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';
import { EXPORT_FORMATS, MAX_PAGE_SIZE, MSG_KEYS, RECIPIENT_STATUSES, SEND_STATUSES } from '@dingrelay/contracts';

const TIME = 'ISO-8601 with an offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00';

function common(statuses: readonly string[], statusEnum: 'SendStatus' | 'RecipientStatus'): MethodDecorator[] {
  return [
    ApiQuery({
      name: 'chatConfiguration',
      required: false,
      type: 'string',
      description:
        'Sends made under this name, through whichever configuration had it: a deleted one too (chatConfigurationDeleted). ' +
        'A sender key sees only those through the configuration that has the name now',
    }),
    ApiQuery({ name: 'robotCode', required: false, type: 'string' }),
    ApiQuery({ name: 'msgKey', required: false, enum: [...MSG_KEYS], enumName: 'MsgKey' }),
    ApiQuery({ name: 'status', required: false, enum: [...statuses], enumName: statusEnum }),
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

const FORMAT = ApiQuery({ name: 'format', required: false, enum: [...EXPORT_FORMATS], enumName: 'ExportFormat', description: 'Default csv, or by Accept' });
const BOM = ApiQuery({
  name: 'bom',
  required: false,
  type: 'boolean',
  description: 'true: the CSV starts with the UTF-8 byte order mark (EF BB BF), so Excel opens Chinese text intact. CSV only: with NDJSON a 400',
});

/**
 * The 200 of an export: the file in either format, streamed. Each NDJSON line and each CSV row is one `item` (the
 * same fields a page item has); the body itself is text, so that is what a generated client receives.
 */
export function ApiExportFileResponse(item: string): MethodDecorator {
  return ApiResponse({
    status: 200,
    description: `The file, streamed; a transfer cut short means the export failed. One ${item} per CSV row or NDJSON line`,
    content: {
      'text/csv': { schema: { type: 'string', description: `A header row, then one ${item} per row (RFC 4180, UTF-8, CRLF)` } },
      'application/x-ndjson': { schema: { type: 'string', description: `One ${item} as JSON per line` } },
    },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="<export>-<UTC time>.<format>"',
        required: true,
        schema: { type: 'string', example: 'attachment; filename="sends-20261121T133818Z.csv"' },
      },
    },
  });
}

/** The query parameters of each history route, for /docs (the query classes validate them). */
export const HistoryQueryDocs = {
  listSends: () => applyDecorators(...common(SEND_STATUSES, 'SendStatus'), ...SEND_ONLY, ...PAGE),
  listRecipients: () =>
    applyDecorators(ApiQuery({ name: 'userId', required: true, type: 'string' }), ...common(RECIPIENT_STATUSES, 'RecipientStatus'), ...PAGE),
  exportSends: () => applyDecorators(...common(SEND_STATUSES, 'SendStatus'), ...SEND_ONLY, FORMAT, BOM),
  exportRecipients: () =>
    applyDecorators(ApiQuery({ name: 'userId', required: false, type: 'string' }), ...common(RECIPIENT_STATUSES, 'RecipientStatus'), FORMAT, BOM),
};
