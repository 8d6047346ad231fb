import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from './send.schemas.js';
import { ref } from './schema-ref.js';

/** The paging parameters of a list: `maxResults` (also MaxResults) and `nextToken` (also NextToken). */
export function ApiPageQuery(limits: { max: number; default: number }): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'maxResults', required: false, type: 'integer', minimum: 1, maximum: limits.max, default: limits.default, description: 'Also MaxResults' }),
    ApiQuery({ name: 'nextToken', required: false, type: 'string', description: "The previous page's nextToken (also NextToken)" }),
  );
}

/**
 * A keyset page: the items in order and the token for the next page (null on the last). Every list of the API has
 * this shape, each under its own name (`SendHistoryPage`, `ApiKeyPage`…) so generated clients get typed items.
 */
export function pageOf(item: string, nextTokenDescription = 'Pass back as nextToken (or NextToken), with the same filters, for the next page; null on the last'): SchemaObject {
  return {
    type: 'object',
    required: ['items', 'nextToken'],
    properties: {
      items: { type: 'array', items: ref(item) },
      nextToken: { type: 'string', nullable: true, description: nextTokenDescription },
    },
  };
}
