import { Injectable } from '@nestjs/common';
import type { HistoryPage, RecipientHistoryItem } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { RECIPIENT_HISTORY_COLUMNS, RECIPIENT_KEYSET } from './history-rows.js';
import {
  decodeKeyset,
  type KeysetRow,
  pageScope,
  type RecipientHistoryFilterInput,
  recipientConditions,
  SqlParams,
  toPage,
  whereClause,
} from './history-sql.js';

export interface ListUserRecipientsInput extends RecipientHistoryFilterInput {
  userId: string;
  maxResults: number;
  nextToken?: string;
}

/** Everything one user was sent, newest first, with the outcome, read and recall state of each message. */
@Injectable()
export class ListUserRecipientsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ maxResults, nextToken, ...filter }: ListUserRecipientsInput): Promise<HistoryPage<RecipientHistoryItem>> {
    const scope = pageScope('recipients', filter);
    const params = new SqlParams();
    const where = recipientConditions(filter, params);
    if (nextToken) {
      const after = decodeKeyset(nextToken, scope, 'bigint');
      where.push(`(r.created_at, r.id) < (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::bigint)`);
    }
    const rows: (RecipientHistoryItem & KeysetRow)[] = await this.dataSource.query(
      `SELECT ${RECIPIENT_HISTORY_COLUMNS}, ${RECIPIENT_KEYSET}
         FROM recipients r JOIN sends s ON s.id = r.send_id ${whereClause(where)}
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT ${params.add(maxResults + 1)}`,
      params.values,
    );
    return toPage(rows, maxResults, scope);
  }
}
