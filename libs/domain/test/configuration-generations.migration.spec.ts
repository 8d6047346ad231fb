import { randomBytes, randomUUID } from 'node:crypto';
import { dataSourceOptions, MIGRATIONS } from '../src/persistence/data-source.options.js';
import { runMigrations } from '../src/persistence/run-migrations.js';
import { testDatabaseUrl } from '@dingrelay/testing';
import pg from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';

/**
 * Migrations 1765300000000 and 1765300000001 (issue #13, finding 9c): existing sends get the id of the configuration
 * they went through, where it still exists; sender scopes lose the names that no longer mean the configuration the key
 * was given. A configuration deleted and re-created before the upgrade is the case both must get right.
 */
describe('migrations 1765300000000-1: configuration ids on sends, stale names out of sender scopes', () => {
  // A database of its own, migrated up to the migration before these.
  const url = `${testDatabaseUrl()}_generations_${randomBytes(4).toString('hex')}`;
  const index = MIGRATIONS.findIndex((m) => m.name === 'RecordSendConfigurationIds1765300000000');
  const before = MIGRATIONS.slice(0, index);
  const upToThese = MIGRATIONS.slice(0, index + 2);
  let db: DataSource | undefined;

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE "${new URL(url).pathname.slice(1)}"`));
  });

  afterAll(async () => {
    await db?.destroy();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`));
  });

  it('binds each send to its own configuration, prunes stale scope names (auditing each key), and can be reverted', async () => {
    expect(upToThese.map((m) => m.name)).toEqual([...before.map((m) => m.name), 'RecordSendConfigurationIds1765300000000', 'PruneStaleSenderScopes1765300000001']);
    const old = await new DataSource({ ...dataSourceOptions({ url, poolSize: 2 }), migrations: before }).initialize();
    const sends: Record<string, string> = {};
    const keys: Record<string, string> = {};
    const configurations: Record<string, string> = {};
    try {
      await runMigrations(old);
      const configuration = async (name: string, createdAt: string | null) => {
        const [row]: { id: string }[] = await old.query(
          `INSERT INTO chat_configurations (name, type, aes_key_encrypted, callback_token_encrypted, secret_key_id, created_at)
           VALUES ($1, 'DingTalk', 'x', 'x', 'k1', coalesce($2::timestamptz, now())) RETURNING id`,
          [name, createdAt],
        );
        return row!.id;
      };
      const send = async (label: string, name: string, createdAt: string | null, idempotencyKey: string | null = null) => {
        sends[label] = randomUUID();
        await old.query(
          `INSERT INTO sends (id, chat_configuration, robot_code, msg_key, msg_param, delivery_policy, recipient_count,
                              duplicates_removed, batch_count, idempotency_key, created_at)
           VALUES ($1, $2, 'robot', 'sampleText', '{}', 'at-least-once', 1, 0, 1, $3, coalesce($4::timestamptz, now()))`,
          [sends[label], name, idempotencyKey, createdAt],
        );
      };
      const key = async (label: string, scope: string[] | null, createdAt: string | null) => {
        keys[label] = randomUUID();
        await old.query(
          `INSERT INTO api_keys (id, name, role, chat_configurations, prefix, secret_hash, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, '\\x00', 'test', coalesce($6::timestamptz, now()))`,
          [keys[label], label, scope ? 'sender' : 'admin', scope, randomBytes(6).toString('hex'), createdAt],
        );
      };
      const deleted = async (name: string, outcome: 'succeeded' | 'failed') =>
        old.query(
          `INSERT INTO audit_events (actor_name, action, target_type, target_id, outcome, details)
           VALUES ('test', 'chat-configuration.delete', 'chat-configuration', $1, $2, '{}')`,
          [name, outcome],
        );

      // Before: configurations A and W exist; X, Y and the default `main` will be deleted; `legacy` gets its row later.
      configurations.A = await configuration('A', '2026-01-01T00:00:00Z');
      configurations.W = await configuration('W', '2026-01-01T00:00:00Z');
      await send('oldX', 'X', '2026-02-01T00:00:00Z', 'k1');
      await send('Y', 'Y', '2026-02-01T00:00:00Z');
      await send('pinned', 'pinned-z', '2026-02-01T00:00:00Z', 'k1');
      await send('W', 'W', '2026-02-01T00:00:00Z');
      await send('A', 'A', '2026-02-01T00:00:00Z', 'k1');
      await send('legacy', 'legacy', '2026-01-15T00:00:00Z');
      await key('oldX', ['X'], '2026-01-10T00:00:00Z');
      await key('mixed', ['*', 'typo', 'Y', 'A', 'main'], '2026-01-10T00:00:00Z');
      await key('oldMain', ['main'], '2026-01-10T00:00:00Z');
      await key('admin', null, '2026-01-10T00:00:00Z');

      // Deletes, now (the database stamps audit events): X, Y and `main` went; deleting W was refused.
      await deleted('X', 'succeeded');
      await deleted('Y', 'succeeded');
      await deleted('main', 'succeeded');
      await deleted('W', 'failed');

      // After: X re-created, with a send and a key of its own; `legacy` has its row (a first start, say); a key for
      // the default name, whose row is not there (yet).
      configurations.X = await configuration('X', null);
      configurations.legacy = await configuration('legacy', null);
      await send('newX', 'X', null, 'k2');
      await key('newX', ['X'], null);
      await key('newMain', ['main'], null);
    } finally {
      await old.destroy();
    }

    db = await new DataSource({ ...dataSourceOptions({ url, poolSize: 2 }), migrations: upToThese }).initialize();
    expect(await runMigrations(db, { defaultChatConfiguration: 'main' })).toEqual([
      'RecordSendConfigurationIds1765300000000',
      'PruneStaleSenderScopes1765300000001',
    ]);

    const sendIds = Object.fromEntries(
      ((await db.query(`SELECT id, chat_configuration_id FROM sends`)) as { id: string; chat_configuration_id: string | null }[]).map((r) => [
        Object.keys(sends).find((label) => sends[label] === r.id),
        r.chat_configuration_id,
      ]),
    );
    expect(sendIds).toEqual({
      // Made through the X deleted since: not the X there is now.
      oldX: null,
      newX: configurations.X,
      // Deleted, never re-created; a name no configuration ever had.
      Y: null,
      pinned: null,
      // A refused delete deletes nothing.
      W: configurations.W,
      A: configurations.A,
      // Older than its configuration's row, but nothing of that name was deleted since: the same configuration.
      legacy: configurations.legacy,
    });

    const scopes = Object.fromEntries(
      ((await db.query(`SELECT id, chat_configurations FROM api_keys`)) as { id: string; chat_configurations: string[] | null }[]).map((r) => [
        Object.keys(keys).find((label) => keys[label] === r.id),
        r.chat_configurations,
      ]),
    );
    expect(scopes).toEqual({
      // Given the X deleted since: nothing left, so it may use no configuration (not every one).
      oldX: [],
      // Names never configurations, one deleted, and the default deleted after the key was issued; order kept.
      mixed: ['A'],
      oldMain: [],
      admin: null,
      newX: ['X'],
      // The default's name, issued before its row exists: kept.
      newMain: ['main'],
    });

    const events: { target_id: string; actor_name: string; outcome: string; details: { removed: string[]; chatConfigurations: string[] } }[] =
      await db.query(`SELECT target_id, actor_name, outcome, details FROM audit_events WHERE action = 'api-key.scope-prune' ORDER BY id`);
    // One per key changed, in no particular order (the order the update met them).
    const byKey = (a: { target_id: string }, b: { target_id: string }) => Object.values(keys).indexOf(a.target_id) - Object.values(keys).indexOf(b.target_id);
    expect(events.map((e) => ({ ...e, details: { removed: e.details.removed, chatConfigurations: e.details.chatConfigurations } })).sort(byKey)).toEqual([
      { target_id: keys.oldX, actor_name: 'system:migration', outcome: 'succeeded', details: { removed: ['X'], chatConfigurations: [] } },
      { target_id: keys.mixed, actor_name: 'system:migration', outcome: 'succeeded', details: { removed: ['*', 'typo', 'Y', 'main'], chatConfigurations: ['A'] } },
      { target_id: keys.oldMain, actor_name: 'system:migration', outcome: 'succeeded', details: { removed: ['main'], chatConfigurations: [] } },
    ]);

    // Idempotency-Keys are unique per configuration id: the re-created X may reuse its predecessor's key...
    const insert = (name: string, configurationId: string | null, idempotencyKey: string) =>
      db!.query(
        `INSERT INTO sends (id, chat_configuration, chat_configuration_id, robot_code, msg_key, msg_param, delivery_policy,
                            recipient_count, duplicates_removed, batch_count, idempotency_key)
         VALUES ($1, $2, $3, 'robot', 'sampleText', '{}', 'at-least-once', 1, 0, 1, $4)`,
        [randomUUID(), name, configurationId, idempotencyKey],
      );
    await insert('X', configurations.X!, 'k1');
    // ...but not one of its own; and sends without an id keep the per-name rule among themselves.
    await expect(insert('X', configurations.X!, 'k2')).rejects.toThrow(QueryFailedError);
    await expect(insert('pinned-z', null, 'k1')).rejects.toMatchObject({ driverError: { constraint: 'sends_idempotency_key_by_name' } });
    await insert('pinned-z', null, 'k3');

    // Reverting the ids fails while two configurations of one name share a key, naming it; without that, it works.
    await db.undoLastMigration({ transaction: 'each' });
    await expect(db.undoLastMigration({ transaction: 'each' })).rejects.toMatchObject({
      driverError: { detail: expect.stringMatching(/\(chat_configuration, idempotency_key\)=\(X, k1\) is duplicated/) },
    });
    await db.query(`DELETE FROM sends WHERE chat_configuration = 'X' AND idempotency_key = 'k1' AND chat_configuration_id IS NOT NULL`);
    await db.undoLastMigration({ transaction: 'each' });
    const columns: { column_name: string }[] = await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'sends' AND column_name = 'chat_configuration_id'`,
    );
    expect(columns).toEqual([]);
    const [index]: { indexdef: string }[] = await db.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'sends_idempotency_key'`);
    expect(index!.indexdef).toMatch(/\(chat_configuration, idempotency_key\) WHERE \(idempotency_key IS NOT NULL\)$/);
    // The pruned names stay pruned: the audit events say what they were.
    expect((await db.query(`SELECT chat_configurations FROM api_keys WHERE id = $1`, [keys.mixed]))[0].chat_configurations).toEqual(['A']);
  });
});

async function admin(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const target = new URL(testDatabaseUrl());
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
