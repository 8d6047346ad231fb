import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors/domain.error.js';
import { isUuid } from '../ids/uuid.js';
import { decodePageToken, encodePageToken } from '../pagination/page-token.js';
import { ApiKeyEntity } from '../persistence/entities/api-key.entity.js';
import { type ApiKeyView, toApiKeyView } from './api-key.view.js';

export interface ApiKeyPage {
  items: ApiKeyView[];
  nextToken: string | null;
}

const SCOPE = 'api-keys';

/** API keys oldest first, by keyset on (created_at, id); never their hashes. */
@Injectable()
export class ListApiKeysUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: { maxResults: number; nextToken?: string }): Promise<ApiKeyPage> {
    const [afterTime, afterId] = query.nextToken ? decodePageToken(query.nextToken, SCOPE, ['instant', 'uuid']) : [null, null];
    const rows = await this.dataSource
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .addSelect(`to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor')
      .where(afterTime ? '(k.created_at, k.id) > (:afterTime::timestamptz, :afterId::uuid)' : 'true', { afterTime, afterId })
      .orderBy('k.created_at', 'ASC')
      .addOrderBy('k.id', 'ASC')
      .limit(query.maxResults + 1)
      .getRawAndEntities();
    const hasMore = rows.entities.length > query.maxResults;
    const page = rows.entities.slice(0, query.maxResults);
    const last = page.at(-1);
    const lastCursor = last ? (rows.raw as { k_id: string; cursor: string }[]).find((r) => r.k_id === last.id)?.cursor : undefined;
    return {
      items: page.map(toApiKeyView),
      nextToken: hasMore && last && lastCursor ? encodePageToken(SCOPE, [lastCursor, last.id]) : null,
    };
  }
}

@Injectable()
export class GetApiKeyUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(id: string): Promise<ApiKeyView> {
    const row = isUuid(id) ? await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id }) : null;
    if (!row) throw new NotFoundError('API key', id);
    return toApiKeyView(row);
  }
}
