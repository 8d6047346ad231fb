import { RECIPIENT_STATUSES, SEND_STATUSES } from '@dingrelay/contracts';
import type { SchemaObject } from './send.schemas.js';
import { ref } from './schema-ref.js';

const countsOf = (keys: readonly string[], description: string): SchemaObject => ({
  type: 'object',
  description,
  required: ['total', ...keys],
  properties: Object.fromEntries(['total', ...keys].map((k) => [k, { type: 'integer', minimum: 0 }])),
});

/** contracts' SendCountsByStatus. */
export const sendCountsByStatusSchema = countsOf(SEND_STATUSES, 'Sends by their status now, and their total');

/** contracts' RecipientCounts. */
export const recipientCountsSchema = countsOf(RECIPIENT_STATUSES, 'Recipients by their status now, and their total');

/** contracts' SendStatsBucket. */
export const sendStatsBucketSchema: SchemaObject = {
  type: 'object',
  required: ['start', 'sends'],
  properties: {
    start: { type: 'string', format: 'date-time', description: 'The first is createdFrom; each lasts until the next starts, the last until createdTo' },
    sends: { $ref: '#/components/schemas/SendCountsByStatus' },
  },
};

/** contracts' SendStatsResponse. */
export const sendStatsSchema: SchemaObject = {
  type: 'object',
  required: ['createdFrom', 'createdTo', 'interval', 'timeZone', 'buckets', 'sends', 'recipients', 'ambiguousCalls'],
  properties: {
    createdFrom: { type: 'string', format: 'date-time' },
    createdTo: { type: 'string', format: 'date-time' },
    interval: ref('SendStatsInterval'),
    timeZone: { type: 'string', example: 'Asia/Shanghai' },
    buckets: {
      type: 'array',
      description: 'Every bucket of the range in order, empty ones included',
      items: { $ref: '#/components/schemas/SendStatsBucket' },
    },
    sends: { $ref: '#/components/schemas/SendCountsByStatus' },
    recipients: { $ref: '#/components/schemas/RecipientCounts' },
    ambiguousCalls: { type: 'integer', minimum: 0, description: 'Calls for those sends whose answer was lost' },
  },
};
