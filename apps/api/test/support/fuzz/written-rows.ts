import type { DataSource } from 'typeorm';

/**
 * What a rejected request could have written, as one row of numbers: the rows of every table a request can add to,
 * and the marks an accepted change leaves on existing rows (cancel, revoke, a configuration or plugin update).
 * Audit events of refused changes (`outcome = 'failed'`) are left out: recording a refusal is by design.
 */
const WRITES = `
  SELECT (SELECT count(*) FROM sends)::text AS sends,
         (SELECT count(*) FROM sends WHERE cancelled_at IS NOT NULL OR recall_requested_at IS NOT NULL)::text AS "sends changed",
         (SELECT count(*) FROM batches)::text AS batches,
         (SELECT count(*) FROM recipients)::text AS recipients,
         (SELECT count(*) FROM send_events)::text AS send_events,
         (SELECT count(*) FROM api_keys)::text AS api_keys,
         (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::text AS "api_keys revoked",
         (SELECT count(*) FROM chat_configurations)::text AS chat_configurations,
         (SELECT coalesce(max(updated_at)::text, '') FROM chat_configurations) AS "chat_configurations updated",
         (SELECT count(*) FROM chat_configuration_plugins)::text AS chat_configuration_plugins,
         (SELECT coalesce(max(applied_at)::text, '') FROM chat_configuration_plugins) AS "chat_configuration_plugins applied",
         (SELECT count(*) FROM inbound_messages)::text AS inbound_messages,
         (SELECT count(*) FROM audit_events WHERE outcome <> 'failed')::text AS "audit_events (not failed)"`;

export type WrittenRows = Record<string, string>;

export async function writtenRows(db: DataSource): Promise<WrittenRows> {
  const [row] = (await db.query(WRITES)) as WrittenRows[];
  return row!;
}

/** The columns that changed between two snapshots, `name: before → after`. */
export function changedRows(before: WrittenRows, after: WrittenRows): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => `${k}: ${before[k]} → ${after[k]}`);
}
