import { Injectable } from '@nestjs/common';
import type { RecipientStatus } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { GoneError, NotFoundError } from '../errors/domain.error.js';
import { decodePageToken, encodePageToken } from '../pagination/page-token.js';
import { SendEntity } from '../persistence/entities/send.entity.js';

export interface ListRecipientsQueryInput {
  sendId: string;
  status?: RecipientStatus;
  maxResults: number;
  nextToken?: string;
}

export interface RecipientView {
  userId: string;
  status: RecipientStatus;
  reasonCode: string | null;
  reasonMessage: string | null;
  processQueryKey: string | null;
  attempts: number;
  updatedAt: Date;
  deliveredAt: Date | null;
  readStatus: 'unread' | 'read' | null;
  readAt: Date | null;
  recallStatus: 'recalled' | 'failed' | null;
  recallReason: string | null;
  recalledAt: Date | null;
}

export interface RecipientPage {
  items: RecipientView[];
  nextToken: string | null;
}

/** Per-recipient outcomes of one send, in insertion order, paged by keyset so pages never skip or repeat a row. */
@Injectable()
export class ListRecipientsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: ListRecipientsQueryInput): Promise<RecipientPage> {
    const send = await this.dataSource.getRepository(SendEntity).findOne({
      where: { id: query.sendId },
      select: { id: true, recipientsPurgedAt: true },
    });
    if (!send) throw new NotFoundError('Send', query.sendId);
    if (send.recipientsPurgedAt) {
      throw new GoneError(
        `Send ${query.sendId}'s per-recipient detail was purged on ${send.recipientsPurgedAt.toISOString()} under the ` +
          'recipient retention period; GET /v1/sends/:id still has its counts per status',
      );
    }

    const scope = `recipients:${query.sendId}:${query.status ?? '*'}`;
    const [afterId] = query.nextToken ? decodePageToken(query.nextToken, scope, ['bigint']) : ['0'];

    const rows: (RecipientView & { id: string })[] = await this.dataSource.query(
      `SELECT r.id::text AS id, r.user_id AS "userId", r.status, r.reason_code AS "reasonCode",
              r.reason_message AS "reasonMessage", r.process_query_key AS "processQueryKey", r.attempts,
              r.updated_at AS "updatedAt", r.delivered_at AS "deliveredAt",
              r.read_status AS "readStatus", r.read_at AS "readAt", r.recall_status AS "recallStatus",
              r.recall_reason AS "recallReason", r.recalled_at AS "recalledAt"
         FROM recipients r
        WHERE r.send_id = $1 AND ($2::text IS NULL OR r.status = $2) AND r.id > $3::bigint
        -- r.id, not the text alias: ordered as text, id 1000 would sort before 999 and pages would skip rows.
        ORDER BY r.id
        LIMIT $4`,
      [query.sendId, query.status ?? null, afterId, query.maxResults + 1],
    );

    const hasMore = rows.length > query.maxResults;
    const page = hasMore ? rows.slice(0, query.maxResults) : rows;
    const last = page.at(-1);
    return {
      items: page.map(({ id: _id, ...view }) => view),
      nextToken: hasMore && last ? encodePageToken(scope, [last.id]) : null,
    };
  }
}
