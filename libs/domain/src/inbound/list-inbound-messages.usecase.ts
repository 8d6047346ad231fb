import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodePageToken, encodePageToken } from '../pagination/page-token.js';
import type { InboundMessageInput } from './parse-inbound-message.js';

export interface ListInboundMessagesInput {
  chatConfiguration?: string;
  senderStaffId?: string;
  msgtype?: string;
  conversationId?: string;
  /** ISO-8601 with offset; on DingTalk's `createAt`, from inclusive, to exclusive. */
  createdFrom?: string;
  createdTo?: string;
  maxResults: number;
  nextToken?: string;
}

/** A stored inbound message: what was parsed from the callback, with where and when it was received. */
export interface InboundMessageView extends InboundMessageInput {
  id: string;
  chatConfiguration: string;
  receivedAt: Date;
}

export interface InboundMessagePageView {
  items: InboundMessageView[];
  nextToken: string | null;
}

/**
 * Stored inbound messages, newest first, keyset-paged on the id (stable while new messages arrive). The ORDER BY names
 * the table's column: a bare `id` would be the text alias selected for the response, and "9" sorts after "10".
 */
@Injectable()
export class ListInboundMessagesUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: ListInboundMessagesInput): Promise<InboundMessagePageView> {
    const filters = [
      query.chatConfiguration ?? null,
      query.senderStaffId ?? null,
      query.msgtype ?? null,
      query.conversationId ?? null,
      query.createdFrom ?? null,
      query.createdTo ?? null,
    ];
    const scope = `inbound:${JSON.stringify(filters)}`;
    let beforeId: string | null = null;
    if (query.nextToken) {
      [beforeId] = decodePageToken(query.nextToken, scope, ['bigint']);
    }
    const rows: InboundMessageView[] = await this.dataSource.query(
      `SELECT id::text AS id, chat_configuration AS "chatConfiguration", msg_id AS "msgId", msgtype, text_content AS "textContent",
              content, conversation_id AS "conversationId", conversation_type AS "conversationType",
              conversation_title AS "conversationTitle", sender_staff_id AS "senderStaffId", sender_id AS "senderId",
              sender_nick AS "senderNick", sender_corp_id AS "senderCorpId", robot_code AS "robotCode",
              is_in_at_list AS "isInAtList", create_at AS "createAt", received_at AS "receivedAt"
         FROM inbound_messages
        WHERE ($1::text IS NULL OR chat_configuration = $1)
          AND ($2::text IS NULL OR sender_staff_id = $2)
          AND ($3::text IS NULL OR msgtype = $3)
          AND ($4::text IS NULL OR conversation_id = $4)
          AND ($5::timestamptz IS NULL OR create_at >= $5)
          AND ($6::timestamptz IS NULL OR create_at < $6)
          AND ($7::bigint IS NULL OR id < $7::bigint)
        ORDER BY inbound_messages.id DESC
        LIMIT $8`,
      [...filters, beforeId, query.maxResults + 1],
    );
    const hasMore = rows.length > query.maxResults;
    const page = hasMore ? rows.slice(0, query.maxResults) : rows;
    const last = page.at(-1);
    return { items: page, nextToken: hasMore && last ? encodePageToken(scope, [last.id]) : null };
  }
}
