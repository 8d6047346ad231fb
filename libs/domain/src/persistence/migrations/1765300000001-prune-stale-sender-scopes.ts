import type { MigrationInterface, QueryRunner } from 'typeorm';
import { defaultConfigurationNameOf } from './default-configuration-name.js';

/**
 * Sender keys lose the names in their scope that no longer mean what they meant when the key was issued. From this
 * version, deleting a configuration removes its name from every scope in the same transaction; this migration does the
 * same for what was left before (issue #13, finding 9c):
 *
 * - names no configuration has: deleted configurations, and names stored before scopes were checked (`"*"`, typos),
 *   which would otherwise apply to any configuration created later under them;
 * - names whose configuration was deleted after the key was issued (a `chat-configuration.delete` in the audit log
 *   since the key's creation) and that a configuration has again: the key was given the old one, not this one.
 *
 * The deployment's default name (DEFAULT_CHAT_CONFIGURATION_NAME, passed by `runMigrations`) stays where no row has it
 * yet: a key may be issued for it before the first start creates the row. It goes like any other when its
 * configuration was deleted after the key was issued.
 *
 * A key left with no name can send and read nothing (an empty scope allows no configuration); revoke it or issue a new
 * one. Each key changed gets an `api-key.scope-prune` audit event (actor `system:migration`) naming what it lost and
 * what it kept. `down` changes nothing: the names removed are in those events.
 */
export class PruneStaleSenderScopes1765300000001 implements MigrationInterface {
  name = 'PruneStaleSenderScopes1765300000001';

  async up(q: QueryRunner): Promise<void> {
    const defaultName = await defaultConfigurationNameOf(q);
    const [pruned]: [{ id: string; removed: string[]; kept: string[] }[], number] = await q.query(
      `WITH last_delete AS (
         SELECT target_id AS name, max(occurred_at) AS at FROM audit_events
          WHERE action = 'chat-configuration.delete' AND target_type = 'chat-configuration' AND outcome = 'succeeded'
          GROUP BY target_id),
       judged AS (
         SELECT k.id, u.name, u.ord,
                (u.name = $1 OR c.id IS NOT NULL)
                AND (coalesce(c.created_at <= k.created_at, false) OR d.at IS NULL OR d.at < k.created_at) AS keep
           FROM api_keys k
           CROSS JOIN LATERAL unnest(k.chat_configurations) WITH ORDINALITY AS u(name, ord)
           LEFT JOIN chat_configurations c ON c.name = u.name
           LEFT JOIN last_delete d ON d.name = u.name),
       scopes AS (
         SELECT id, coalesce(array_agg(name ORDER BY ord) FILTER (WHERE keep), '{}') AS kept,
                array_agg(name ORDER BY ord) FILTER (WHERE NOT keep) AS removed
           FROM judged GROUP BY id)
       UPDATE api_keys k SET chat_configurations = s.kept
         FROM scopes s
        WHERE s.id = k.id AND s.removed IS NOT NULL
        RETURNING k.id, s.removed, s.kept`,
      [defaultName],
    );
    for (const key of pruned) {
      await q.query(
        `INSERT INTO audit_events (actor_name, action, target_type, target_id, outcome, details)
         VALUES ('system:migration', 'api-key.scope-prune', 'api-key', $1, 'succeeded', $2)`,
        [
          key.id,
          JSON.stringify({
            removed: key.removed,
            chatConfigurations: key.kept,
            reason: 'no such configuration, or the one the key was issued for was deleted',
            migration: this.name,
          }),
        ],
      );
    }
  }

  async down(): Promise<void> {
    // Nothing to undo that would be right: the removed names named configurations the keys may no longer use.
  }
}
