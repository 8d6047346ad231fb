import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodePageToken, encodePageToken } from '../pagination/page-token.js';
import type { AuditOutcome } from './audit-trail.js';

export interface ListAuditEventsInput {
  action?: string;
  actorKeyId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  /** ISO-8601 instants, validated by the caller; compared by Postgres so no precision is lost. */
  from?: string;
  to?: string;
  maxResults: number;
  nextToken?: string;
}

export interface AuditEventView {
  id: string;
  occurredAt: Date;
  actorKeyId: string | null;
  actorName: string;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
}

export interface AuditEventPageView {
  items: AuditEventView[];
  nextToken: string | null;
}

/**
 * The audit log, newest first, paged by id: an event recorded while a caller pages gets a higher id than any they
 * have seen, so it shows on a fresh first page and never shifts the pages after the one being read.
 */
@Injectable()
export class ListAuditEventsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: ListAuditEventsInput): Promise<AuditEventPageView> {
    const { maxResults, nextToken, ...filters } = query;
    const scope = `audit-events:${createHash('sha256').update(JSON.stringify(filterKey(filters))).digest('base64url').slice(0, 16)}`;
    const [beforeId] = nextToken ? decodePageToken(nextToken, scope, ['bigint']) : [null];

    const rows: AuditEventView[] = await this.dataSource.query(
      `SELECT a.id::text AS id, a.occurred_at AS "occurredAt", a.actor_key_id AS "actorKeyId", a.actor_name AS "actorName",
              a.actor_role AS "actorRole", a.action, a.target_type AS "targetType", a.target_id AS "targetId",
              a.request_id AS "requestId", a.outcome, a.details
         FROM audit_events a
        WHERE ($1::text IS NULL OR a.action = $1)
          AND ($2::uuid IS NULL OR a.actor_key_id = $2)
          AND ($3::text IS NULL OR a.target_type = $3)
          AND ($4::text IS NULL OR a.target_id = $4)
          AND ($5::text IS NULL OR a.outcome = $5)
          AND ($6::timestamptz IS NULL OR a.occurred_at >= $6)
          AND ($7::timestamptz IS NULL OR a.occurred_at < $7)
          AND ($8::bigint IS NULL OR a.id < $8)
        -- a.id, not the text alias: ordered as text, event 9 would come before event 10.
        ORDER BY a.id DESC
        LIMIT $9`,
      [
        filters.action ?? null,
        filters.actorKeyId ?? null,
        filters.targetType ?? null,
        filters.targetId ?? null,
        filters.outcome ?? null,
        filters.from ?? null,
        filters.to ?? null,
        beforeId,
        maxResults + 1,
      ],
    );
    const hasMore = rows.length > maxResults;
    const items = hasMore ? rows.slice(0, maxResults) : rows;
    const last = items.at(-1);
    return { items, nextToken: hasMore && last ? encodePageToken(scope, [last.id]) : null };
  }
}

/** The filters in a fixed order, absent ones included, so the same query always yields the same token scope. */
function filterKey(filters: Omit<ListAuditEventsInput, 'maxResults' | 'nextToken'>): unknown[] {
  return [filters.action, filters.actorKeyId, filters.targetType, filters.targetId, filters.outcome, filters.from, filters.to].map(
    (v) => v ?? null,
  );
}
