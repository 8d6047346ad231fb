import type { DataSource } from 'typeorm';
import { AuditTrail, systemActor } from '../src/index.js';
import { openTestDataSource } from './support/delivery-harness.js';
import { prepareTestDatabase } from '@dingrelay/testing';

/** The audit log is append-only in the database itself: whoever connects, rows can be added and never changed. */
describe('audit_events', () => {
  let db: DataSource;
  let id: string;

  beforeAll(async () => {
    db = await openTestDataSource(await prepareTestDatabase());
    const marker = `immutability-${Date.now()}`;
    await new AuditTrail().record(db.manager, {
      actor: systemActor('test'),
      action: 'test.append',
      targetType: 'test',
      targetId: marker,
      details: { n: 1 },
    });
    [{ id }] = await db.query(`SELECT id::text AS id FROM audit_events WHERE target_id = $1`, [marker]);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('records who, what, on what and the outcome, with the time and a system actor', async () => {
    const [row] = await db.query(`SELECT * FROM audit_events WHERE id = $1`, [id]);
    expect(row).toMatchObject({
      actor_key_id: null,
      actor_name: 'system:test',
      actor_role: null,
      action: 'test.append',
      target_type: 'test',
      request_id: null,
      outcome: 'succeeded',
      details: { n: 1 },
    });
    expect(Date.now() - new Date(row.occurred_at).getTime()).toBeLessThan(60_000);
  });

  it.each([
    ['UPDATE', `UPDATE audit_events SET outcome = 'failed' WHERE id = $1`, (id: string) => [id]],
    ['UPDATE', `UPDATE audit_events SET details = '{}'`, () => []],
    ['DELETE', `DELETE FROM audit_events WHERE id = $1`, (id: string) => [id]],
    ['TRUNCATE', `TRUNCATE audit_events`, () => []],
  ])('refuses %s (%s)', async (operation, sql, params) => {
    await expect(db.query(sql, params(id))).rejects.toThrow(`audit_events is append-only: ${operation} refused`);
    const [row] = await db.query(`SELECT outcome, details FROM audit_events WHERE id = $1`, [id]);
    expect(row).toEqual({ outcome: 'succeeded', details: { n: 1 } });
  });

  it('refuses DELETE even inside a transaction that also inserts, leaving nothing of it', async () => {
    const marker = `tx-${Date.now()}`;
    await expect(
      db.transaction(async (tx) => {
        await new AuditTrail().record(tx, { actor: systemActor('test'), action: 'test.append', targetType: 'test', targetId: marker });
        await tx.query(`DELETE FROM audit_events WHERE target_id = $1`, [marker]);
      }),
    ).rejects.toThrow('append-only');
    expect(await db.query(`SELECT 1 FROM audit_events WHERE target_id = $1`, [marker])).toEqual([]);
  });
});
