import { EXPORT_FORMATS, MSG_KEYS, RECIPIENT_STATUSES, SEND_STATUSES } from '@dingrelay/contracts';
import type { SchemaObject } from './send.schemas.js';

const TIME = 'ISO-8601 with an offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00';

/** The filters both exports share, as in their query strings. */
function filters(statuses: readonly string[], own: Record<string, SchemaObject>): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    description: "Exactly the export's query filters (no format, bom or paging); {} for everything",
    properties: {
      chatConfiguration: { type: 'string' },
      robotCode: { type: 'string' },
      msgKey: { type: 'string', enum: [...MSG_KEYS] },
      status: { type: 'string', enum: [...statuses] },
      createdFrom: { type: 'string', description: `Inclusive; ${TIME}` },
      createdTo: { type: 'string', description: `Exclusive; ${TIME}` },
      ...own,
    },
  };
}

function linkRequest(exported: 'sends' | 'recipients', filterSchema: SchemaObject): SchemaObject {
  return {
    type: 'object',
    required: ['export', 'filters'],
    additionalProperties: false,
    properties: {
      export: { type: 'string', enum: [exported] },
      format: { type: 'string', enum: [...EXPORT_FORMATS], default: 'csv' },
      bom: { type: 'boolean', default: false, description: 'CSV only: start the file with the UTF-8 byte order mark (for Excel)' },
      filters: filterSchema,
    },
  };
}

export const createExportLinkRequestSchema: SchemaObject = {
  oneOf: [
    linkRequest(
      'sends',
      filters(SEND_STATUSES, {
        requester: { type: 'string', description: 'Name of the API key that made the send' },
        idempotencyKey: { type: 'string' },
      }),
    ),
    linkRequest('recipients', filters(RECIPIENT_STATUSES, { userId: { type: 'string', description: "One user's; everyone's when absent" } })),
  ],
};

export const exportLinkResponseSchema: SchemaObject = {
  type: 'object',
  required: ['url', 'expiresAt'],
  properties: {
    url: {
      type: 'string',
      example: '/v1/exports/downloads/3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      description: 'GET it without an API key, once, before expiresAt: a path on this API',
    },
    expiresAt: { type: 'string', format: 'date-time' },
  },
};
