import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropTestDatabase, ManagedProcess, prepareTestDatabase, REPO_ROOT, testDatabaseUrl } from '@dingrelay/testing';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditChainRepository,
  type AuditChainSettings,
  AuditDigestPublisher,
  AuditTrail,
  canonicalAuditEvent,
  dataSourceOptions,
  systemActor,
  VerifyAuditChainUseCase,
} from '../src/index.js';

/**
 * The audit log's hash chain, in a database of its own: these tests edit, delete and truncate audit events as a
 * superuser, which no shared database may see. The apps' side (the runtime role) appends and verifies.
 */
describe('the audit chain', () => {
  const ownerUrl = `${testDatabaseUrl()}_chain_${randomBytes(4).toString('hex')}`;
  const key = randomBytes(32).toString('base64');
  let owner: DataSource;
  let runtime: DataSource;
  let runtimeUrl: string;
  let dir: string;

  const settings = (extra: Partial<AuditChainSettings> = {}): AuditChainSettings => ({ digestKey: key, verifyPageSize: 7, ...extra });
  const verifier = (extra?: Partial<AuditChainSettings>) => new VerifyAuditChainUseCase(new AuditChainRepository(runtime), settings(extra));
  const publisher = (extra?: Partial<AuditChainSettings>) => new AuditDigestPublisher(new AuditChainRepository(runtime), settings(extra));
  const record = (tx: EntityManager, targetId: string, details: Record<string, unknown> = {}) =>
    new AuditTrail().record(tx, { actor: systemActor('chain-test'), action: 'test.chain', targetType: 'test', targetId, details });
  const count = async () => Number((await owner.query(`SELECT count(*) AS n FROM audit_events`))[0].n);
  /** As a superuser who turned the append-only trigger off for one transaction. */
  const tamper = (work: (tx: EntityManager) => Promise<unknown>) =>
    owner.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await work(tx);
    });
  const idAt = async (position: number): Promise<string> =>
    (await owner.query(`SELECT id::text AS id FROM audit_events WHERE chain_position = $1`, [position]))[0].id;

  beforeAll(async () => {
    runtimeUrl = await prepareTestDatabase(ownerUrl);
    owner = await new DataSource(dataSourceOptions({ url: ownerUrl, poolSize: 3 })).initialize();
    runtime = await new DataSource(dataSourceOptions({ url: runtimeUrl, poolSize: 3 })).initialize();
    dir = await mkdtemp(join(tmpdir(), 'dingrelay-chain-'));
  });

  afterAll(async () => {
    await runtime?.destroy();
    await owner?.destroy();
    await dropTestDatabase(ownerUrl);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('an empty log verifies, and its digest is of zero events', async () => {
    expect(await verifier().execute()).toEqual({ intact: true, checked: 0, head: null, firstBroken: null, digest: null });
    expect(await publisher().publishOnce()).toMatchObject({ count: 0, hash: '0'.repeat(64) });
  });

  it('the database links each event as Node recomputes it, whatever the content', async () => {
    const awkward = {
      quote: 'he said "hi" \\ back',
      controls: 'a\u0001b\nc\td\u001f',
      unicode: '钉钉 ✓ 😀 \u2028',
      numbers: [1, 1.5, -0, 1e21, 0.1, 2 ** 60],
      nested: { z: 1, a: [null, true, false, { '': '' }] },
    };
    await runtime.transaction((tx) => record(tx, 'awkward', awkward));
    await runtime.transaction((tx) => record(tx, 'plain'));
    const rows: { canonical: string; link: Parameters<typeof canonicalAuditEvent>[0] }[] = await owner.query(
      `SELECT audit_event_canonical(e) AS canonical,
              json_build_object('id', e.id::text, 'chainPosition', e.chain_position::text, 'prevHash', e.prev_hash,
                'occurredAt', to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                'actorKeyId', e.actor_key_id::text, 'actorName', e.actor_name, 'actorRole', e.actor_role, 'action', e.action,
                'targetType', e.target_type, 'targetId', e.target_id, 'requestId', e.request_id, 'outcome', e.outcome,
                'details', e.details::text) AS link
         FROM audit_events e ORDER BY chain_position`,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(canonicalAuditEvent(row.link)).toBe(row.canonical);
    const result = await verifier().execute();
    expect(result).toMatchObject({ intact: true, checked: 2, firstBroken: null, head: { position: 2 } });
  });

  it('appends from two processes at once form one chain, in commit order, without gaps', async () => {
    const before = await count();
    const perProcess = 40;
    // Each process: transactions of two events with a pause between them, so the two interleave and wait on each other.
    const script = `
      import pg from 'pg';
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      const insert = (n) => client.query(\`INSERT INTO audit_events (actor_name, action, target_type, target_id, outcome, details)
        VALUES ('system:chain-test', 'test.concurrent', 'test', $1, 'succeeded', $2)\`, [process.env.NAME + '-' + n, JSON.stringify({ n })]);
      for (let i = 0; i < ${perProcess / 2}; i++) {
        await client.query('BEGIN');
        await insert(2 * i);
        await client.query('SELECT pg_sleep(random() * 0.01)');
        await insert(2 * i + 1);
        await client.query('COMMIT');
      }
      await client.end();`;
    const processes = ['one', 'two'].map(
      (name) =>
        new ManagedProcess({
          name: `appender ${name}`,
          command: process.execPath,
          args: ['--input-type=module', '-e', script],
          cwd: REPO_ROOT,
          env: { ...process.env, DATABASE_URL: runtimeUrl, NAME: name },
        }),
    );
    const exits = await Promise.all(processes.map((p) => p.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);

    expect(await count()).toBe(before + 2 * perProcess);
    const result = await verifier().execute();
    expect(result).toMatchObject({ intact: true, checked: before + 2 * perProcess, firstBroken: null });
    // Both really ran at the same time: their events interleave in the chain.
    const order: { target_id: string }[] = await owner.query(`SELECT target_id FROM audit_events WHERE action = 'test.concurrent' ORDER BY chain_position`);
    const switches = order.filter((row, i) => i > 0 && row.target_id.split('-')[0] !== order[i - 1]!.target_id.split('-')[0]).length;
    expect(switches).toBeGreaterThan(1);
  }, 60_000);

  it('a superuser\'s edit of one event fails verify at that event, and nowhere before', async () => {
    const position = 3;
    const id = await idAt(position);
    const [original] = await owner.query(`SELECT outcome FROM audit_events WHERE id = $1`, [id]);
    await tamper((tx) => tx.query(`UPDATE audit_events SET outcome = 'failed' WHERE id = $1`, [id]));
    try {
      const result = await verifier().execute();
      expect(result).toMatchObject({
        intact: false,
        checked: position - 1,
        firstBroken: { reason: 'content', eventId: id, position, foundHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      expect(result.firstBroken!.expectedHash).not.toBe(result.firstBroken!.foundHash);
      expect(result.firstBroken!.message).toContain(`event ${id} at position ${position} was changed`);
    } finally {
      await tamper((tx) => tx.query(`UPDATE audit_events SET outcome = $2 WHERE id = $1`, [id, original.outcome]));
    }
    expect(await verifier().execute()).toMatchObject({ intact: true });
  });

  it('a deleted event fails verify at the gap, naming the event after it', async () => {
    const position = 5;
    const deleted = await idAt(position);
    const next = await idAt(position + 1);
    await owner.query(`CREATE TABLE deleted_event AS SELECT * FROM audit_events WHERE id = $1`, [deleted]);
    await tamper((tx) => tx.query(`DELETE FROM audit_events WHERE id = $1`, [deleted]));
    try {
      expect(await verifier().execute()).toMatchObject({
        intact: false,
        checked: position - 1,
        firstBroken: { reason: 'missing', eventId: next, position, message: expect.stringContaining(`position ${position} is missing`) },
      });
    } finally {
      await tamper((tx) => tx.query(`INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM deleted_event`));
      await owner.query(`DROP TABLE deleted_event`);
    }
    expect(await verifier().execute()).toMatchObject({ intact: true });
  });

  it('a digest taken before the tail was cut off fails verify against it; the chain alone still looks whole', async () => {
    const file = join(dir, 'digests.ndjson');
    const digest = await publisher({ publish: { intervalMs: 60_000, file } }).publishOnce();
    const written = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(written).toEqual([digest]);
    expect(digest.count).toBe(await count());

    const agreeing = await verifier().execute({ digest });
    expect(agreeing).toMatchObject({ intact: true, digest: { count: digest.count, signature: 'valid' } });

    await owner.query(`CREATE TABLE cut_tail AS SELECT * FROM audit_events WHERE chain_position > $1`, [digest.count - 3]);
    await tamper((tx) => tx.query(`DELETE FROM audit_events WHERE chain_position > $1`, [digest.count - 3]));
    try {
      expect(await verifier().execute()).toMatchObject({ intact: true, checked: digest.count - 3 });
      expect(await verifier().execute({ digest })).toMatchObject({
        intact: false,
        checked: digest.count - 3,
        firstBroken: { reason: 'truncated', eventId: null, position: digest.count - 2, expectedHash: digest.hash, foundHash: null },
      });
    } finally {
      await tamper((tx) => tx.query(`INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM cut_tail`));
      await owner.query(`DROP TABLE cut_tail`);
    }
  });

  it('a rewrite that re-hashes everything after the edit passes the chain but not the digest', async () => {
    const digest = await publisher().publishOnce();
    const position = 4;
    const id = await idAt(position);
    await owner.query(`CREATE TABLE rehashed AS SELECT * FROM audit_events WHERE chain_position >= $1`, [position]);
    await tamper(async (tx) => {
      await tx.query(`UPDATE audit_events SET target_id = 'rewritten' WHERE id = $1`, [id]);
      // Recompute every later link the way the database's own functions do.
      await tx.query(`
        DO $$
        DECLARE e audit_events; previous text;
        BEGIN
          SELECT hash INTO previous FROM audit_events WHERE chain_position = ${position - 1};
          FOR e IN SELECT * FROM audit_events WHERE chain_position >= ${position} ORDER BY chain_position LOOP
            e.prev_hash := previous;
            previous := audit_event_hash(e);
            UPDATE audit_events SET prev_hash = e.prev_hash, hash = previous WHERE id = e.id;
          END LOOP;
        END $$`);
    });
    try {
      expect(await verifier().execute()).toMatchObject({ intact: true });
      const [last] = await owner.query(`SELECT id::text AS id, hash FROM audit_events WHERE chain_position = $1`, [digest.count]);
      expect(await verifier().execute({ digest })).toMatchObject({
        intact: false,
        firstBroken: { reason: 'digest', eventId: last.id, position: digest.count, expectedHash: digest.hash, foundHash: last.hash },
      });
    } finally {
      await tamper(async (tx) => {
        await tx.query(`DELETE FROM audit_events WHERE chain_position >= $1`, [position]);
        await tx.query(`INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM rehashed`);
      });
      await owner.query(`DROP TABLE rehashed`);
    }
    expect(await verifier().execute({ digest })).toMatchObject({ intact: true });
  });

  it('tells a forged digest signature from a valid one, and leaves it unchecked without the key', async () => {
    const digest = await publisher().publishOnce();
    const forged = { ...digest, at: new Date(Date.parse(digest.at) + 1000).toISOString() };
    expect((await verifier().execute({ digest: forged })).digest).toMatchObject({ signature: 'invalid' });
    expect((await verifier({ digestKey: undefined }).execute({ digest })).digest).toMatchObject({ signature: 'unchecked' });
  });

  it('posts each digest to AUDIT_DIGEST_URL', async () => {
    const received: unknown[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const digest = await publisher({ publish: { intervalMs: 60_000, url: `http://127.0.0.1:${port}/digests` } }).publishOnce();
      expect(received).toEqual([{ method: 'POST', type: 'application/json', body: digest }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
