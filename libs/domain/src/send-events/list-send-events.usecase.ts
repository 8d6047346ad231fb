import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors/domain.error.js';
import { decodePageToken, encodePageToken } from '../pagination/page-token.js';
import { SendEntity } from '../persistence/entities/send.entity.js';

export interface ListSendEventsInput {
  sendId: string;
  maxResults: number;
  nextToken?: string;
}

export interface SendEventView {
  id: string;
  type: string;
  batchId: string | null;
  occurredAt: Date;
  details: Record<string, unknown>;
}

export interface SendEventPageView {
  items: SendEventView[];
  nextToken: string | null;
}

/** A send's timeline in the order it was written (each event commits with the change it records), paged by id. */
@Injectable()
export class ListSendEventsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: ListSendEventsInput): Promise<SendEventPageView> {
    const exists = await this.dataSource.getRepository(SendEntity).existsBy({ id: query.sendId });
    if (!exists) throw new NotFoundError('Send', query.sendId);

    const scope = `send-events:${query.sendId}`;
    const [afterId] = query.nextToken ? decodePageToken(query.nextToken, scope, ['bigint']) : ['0'];
    const rows: SendEventView[] = await this.dataSource.query(
      `SELECT e.id::text AS id, e.type, e.batch_id AS "batchId", e.occurred_at AS "occurredAt", e.details
         FROM send_events e
        WHERE e.send_id = $1 AND e.id > $2::bigint
        -- e.id, not the text alias: ordered as text, event 10 would come before event 9.
        ORDER BY e.id
        LIMIT $3`,
      [query.sendId, afterId, query.maxResults + 1],
    );
    const hasMore = rows.length > query.maxResults;
    const items = hasMore ? rows.slice(0, query.maxResults) : rows;
    const last = items.at(-1);
    return { items, nextToken: hasMore && last ? encodePageToken(scope, [last.id]) : null };
  }
}
