import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditChainLink } from './audit-event-canonical.js';

/** Every column the chain covers, as text, in the shape of AuditChainLink. */
const LINK_COLUMNS = `
  id::text AS id, chain_position::text AS "chainPosition", prev_hash AS "prevHash", hash,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt",
  actor_key_id::text AS "actorKeyId", actor_name AS "actorName", actor_role AS "actorRole", action,
  target_type AS "targetType", target_id AS "targetId", request_id AS "requestId", outcome, details::text AS details`;

/** The audit log read as a chain: in position order, a keyset page at a time; and its newest link. */
@Injectable()
export class AuditChainRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` links after position `after` (0: from the start), by the unique index on chain_position. */
  async page(after: bigint, limit: number): Promise<AuditChainLink[]> {
    return this.dataSource.query(`SELECT ${LINK_COLUMNS} FROM audit_events WHERE chain_position > $1 ORDER BY chain_position LIMIT $2`, [
      after.toString(),
      limit,
    ]);
  }

  /** The newest committed link's position and hash; null while the log is empty. */
  async head(): Promise<{ position: string; hash: string } | null> {
    const [row]: { position: string; hash: string }[] = await this.dataSource.query(
      `SELECT chain_position::text AS position, hash FROM audit_events ORDER BY chain_position DESC LIMIT 1`,
    );
    return row ?? null;
  }
}
