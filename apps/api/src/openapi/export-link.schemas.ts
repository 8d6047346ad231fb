import type { SchemaObject } from './send.schemas.js';
import { ref } from './schema-ref.js';

const TIME = 'ISO-8601 with an offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00';

/** The filters both exports share, as in their query strings. */
function filters(status: 'SendStatus' | 'RecipientStatus', own: Record<string, SchemaObject>): SchemaObject {
  return {
    type: 'object',
    additionalProperties: false,
    description: "Exactly the export's query filters (no format, bom or paging); {} for everything",
    properties: {
      chatConfiguration: { type: 'string' },
      robotCode: { type: 'string' },
      msgKey: ref('MsgKey'),
      status: ref(status),
      createdFrom: { type: 'string', description: `Inclusive; ${TIME}` },
      createdTo: { type: 'string', description: `Exclusive; ${TIME}` },
      ...own,
    },
  };
}

function linkRequest(exported: 'sends' | 'recipients', filterSchema: string): SchemaObject {
  return {
    type: 'object',
    required: ['export', 'filters'],
    additionalProperties: false,
    properties: {
      export: { type: 'string', enum: [exported], description: 'Which export the link downloads' },
      format: { allOf: [ref('ExportFormat')], default: 'csv' },
      bom: { type: 'boolean', default: false, description: 'CSV only: start the file with the UTF-8 byte order mark (for Excel)' },
      filters: ref(filterSchema),
    },
  };
}

export const exportSendsFilterSchema = filters('SendStatus', {
  requester: { type: 'string', description: 'Name of the API key that made the send' },
  idempotencyKey: { type: 'string' },
});
export const exportRecipientsFilterSchema = filters('RecipientStatus', {
  userId: { type: 'string', description: "One user's; everyone's when absent" },
});
export const createSendsExportLinkRequestSchema = linkRequest('sends', 'ExportSendsFilter');
export const createRecipientsExportLinkRequestSchema = linkRequest('recipients', 'ExportRecipientsFilter');

/** contracts' CreateExportLinkRequest: one of the two, told apart by `export`. */
export const createExportLinkRequestSchema: SchemaObject = {
  oneOf: [ref('CreateSendsExportLinkRequest'), ref('CreateRecipientsExportLinkRequest')],
  discriminator: {
    propertyName: 'export',
    mapping: {
      sends: '#/components/schemas/CreateSendsExportLinkRequest',
      recipients: '#/components/schemas/CreateRecipientsExportLinkRequest',
    },
  },
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
