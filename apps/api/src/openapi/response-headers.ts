/** Response headers the API sends on success, for the operations that send them. */

type HeaderObject = { description: string; required: boolean; schema: { type: 'string'; enum?: string[] } };

/** Sent when a request repeats an earlier one (same Idempotency-Key and body, or a second recall): nothing new was done. */
export const IDEMPOTENT_REPLAYED: Record<string, HeaderObject> = {
  'Idempotent-Replayed': {
    description: '`true` when this answers an earlier identical request again and nothing new was done; absent otherwise',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
};

/** Where the created (or affected) resource is read. */
export function locationHeader(description: string): Record<string, HeaderObject> {
  return { Location: { description, required: true, schema: { type: 'string' } } };
}
