import { Injectable } from '@nestjs/common';
import type { HistoryPage, SendHistoryItem } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { SEND_HISTORY_COLUMNS, SEND_KEYSET } from './history-rows.js';
import {
  decodeKeyset,
  type KeysetRow,
  pageScope,
  type SendHistoryFilterInput,
  sendConditions,
  SqlParams,
  toPage,
  whereClause,
} from './history-sql.js';

export interface ListSendsInput extends SendHistoryFilterInput {
  maxResults: number;
  nextToken?: string;
}


/**
 * Sends newest first, paged by keyset on (created_at, id): a page resumes strictly after the last row shown, so
 * sends arriving meanwhile (all newer) never push rows into the next page twice or hide one.
 */
@Injectable()
export class ListSendsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ maxResults, nextToken, ...filter }: ListSendsInput): Promise<HistoryPage<SendHistoryItem>> {
    const scope = pageScope('sends', filter);
    const params = new SqlParams();
    const where = sendConditions(filter, params);
    if (nextToken) {
      const after = decodeKeyset(nextToken, scope, 'uuid');
      where.push(`(s.created_at, s.id) < (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)`);
    }
    const rows: (SendHistoryItem & KeysetRow)[] = await this.dataSource.query(
      `SELECT ${SEND_HISTORY_COLUMNS}, ${SEND_KEYSET}
         FROM sends s ${whereClause(where)}
        ORDER BY s.created_at DESC, s.id DESC
        LIMIT ${params.add(maxResults + 1)}`,
      params.values,
    );
    return toPage(rows, maxResults, scope);
  }
}
