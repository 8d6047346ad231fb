import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditDigestDocument } from '@dingrelay/contracts';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { auditDigestSignatureValid } from '@dingrelay/domain';
import {
  buildWorkerApp,
  deleteQueuePrefix,
  type ManagedProcess,
  openTestDataSource,
  prepareTestDatabase,
  stackEnv,
  startWorkerProcess,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';
import type { DataSource } from 'typeorm';

const APP = { appKey: 'digest-app', appSecret: 'digest-secret', robotCode: 'digest-robot' };

/** The worker as production runs it publishes signed digests of the audit chain: in its log and to AUDIT_DIGEST_FILE. */
describe('worker: periodic signed audit digests', () => {
  const prefix = uniqueQueuePrefix('worker-digest');
  const key = randomBytes(32).toString('base64');
  let sim: DingTalkSimulator;
  let worker: ManagedProcess | undefined;
  let db: DataSource;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dingrelay-digest-'));
    sim = await startDingTalkSimulator({ apps: [APP] });
    db = await openTestDataSource();
    await buildWorkerApp();
  }, 240_000);

  afterAll(async () => {
    await worker?.stop('SIGTERM', 10_000);
    await sim?.close();
    await db?.destroy();
    await deleteQueuePrefix(prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes one at start and then every interval, each signed with AUDIT_DIGEST_KEY and matching the chain', async () => {
    const file = join(dir, 'digests.ndjson');
    worker = await startWorkerProcess({
      name: 'digest worker',
      env: {
        ...stackEnv({ databaseUrl: await prepareTestDatabase(), queuePrefix: prefix, dingTalkUrl: sim.url, app: APP, configuration: `digest-${prefix.slice(-8)}` }),
        AUDIT_DIGEST_KEY: key,
        AUDIT_DIGEST_FILE: file,
        AUDIT_DIGEST_INTERVAL_MS: '1000',
      },
    });
    const digests = await waitFor(
      async () => (existsSync(file) ? (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditDigestDocument) : []),
      (lines) => lines.length >= 2,
      { timeoutMs: 30_000, description: 'two digests in AUDIT_DIGEST_FILE' },
    );
    for (const digest of digests) {
      expect(digest).toMatchObject({ type: 'dingrelay.audit-digest', version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(auditDigestSignatureValid(key, digest, digest.signature)).toBe(true);
      expect(auditDigestSignatureValid(randomBytes(32).toString('base64'), digest, digest.signature)).toBe(false);
      // The digest names a real link of the chain.
      const [row] = await db.query(`SELECT hash FROM audit_events WHERE chain_position = $1`, [digest.count]);
      expect(row?.hash).toBe(digest.hash);
    }
    expect(worker.linesMatching(/audit digest \{/).length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
