import { apiKeySchema } from './api-keys.schemas.js';
import { recipientHistoryItemSchema, recipientHistoryPageSchema, sendHistoryItemSchema, sendHistoryPageSchema } from './history.schemas.js';
import { API_ERROR_SCHEMA_NAME, apiErrorBodySchema, type SchemaObject } from './send.schemas.js';
import { recipientCountsSchema, sendCountsByStatusSchema, sendStatsBucketSchema, sendStatsSchema } from './stats.schemas.js';

/**
 * Bodies documented once, under `components.schemas`, and referenced by name from each response that carries them,
 * so a generated client gets one named type per shape (`ApiKey`) rather than an anonymous copy per route.
 * buildOpenApiDocument adds every one of them to the document.
 */
export const NAMED_SCHEMAS = {
  [API_ERROR_SCHEMA_NAME]: apiErrorBodySchema,
  ApiKey: apiKeySchema,
  SendHistoryItem: sendHistoryItemSchema,
  SendHistoryPage: sendHistoryPageSchema,
  RecipientHistoryItem: recipientHistoryItemSchema,
  RecipientHistoryPage: recipientHistoryPageSchema,
  SendStats: sendStatsSchema,
  SendStatsBucket: sendStatsBucketSchema,
  SendCountsByStatus: sendCountsByStatusSchema,
  RecipientCounts: recipientCountsSchema,
} as const satisfies Record<string, SchemaObject>;

export type SchemaName = keyof typeof NAMED_SCHEMAS;

/** A response's `schema`: a reference to one of NAMED_SCHEMAS. */
export function schemaRef(name: SchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}
