// The API as the read-side benchmarks run it: the built app on a generated database, no DingTalk behind it, a fresh
// admin key of its own, and no request rate limit (the benchmark is the only caller).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_REDIS_URL, withClient } from './infra.mjs';
import { Child } from './processes.mjs';

/**
 * Revokes every key earlier runs left in the benchmark's database (nothing else uses it) and returns a new admin key
 * for the API to bootstrap: it is stored only when no active admin key exists.
 */
export async function freshAdminKey(databaseUrl) {
  await withClient(databaseUrl, async (c) => {
    if ((await c.query(`SELECT to_regclass('api_keys') IS NOT NULL AS t`)).rows[0].t) {
      await c.query(`UPDATE api_keys SET revoked_at = now() WHERE revoked_at IS NULL`);
    }
  });
  return `drk_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
}

/** The API's environment: this process's, without anything that would point it elsewhere, plus the benchmark's. */
export function benchApiEnv({ databaseUrl, queuePrefix, adminKey }) {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DINGTALK_|API_|DATABASE_|QUEUE_PREFIX$|CONSOLE_DIR$)/.test(k))),
    NO_COLOR: '1',
    DATABASE_URL: databaseUrl,
    // The bench's own database, run as its owner: a deliberate exception to production's runtime role.
    DATABASE_MIGRATION_URL: databaseUrl,
    DATABASE_ALLOW_PRIVILEGED_ROLE: 'true',
    REDIS_URL: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    DINGTALK_BASE_URL: 'http://127.0.0.1:9',
    DINGTALK_APP_KEY: 'bench-app',
    DINGTALK_APP_SECRET: randomBytes(16).toString('hex'),
    DINGTALK_ROBOT_CODE: 'bench-robot',
    SECRET_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    BOOTSTRAP_ADMIN_API_KEY: adminKey,
    API_KEY_RATE_LIMIT_PER_SECOND: '100000',
    API_KEY_RATE_LIMIT_BURST: '100000',
  };
}

/** Starts `node <root>/apps/api/dist/main.js` and resolves once it listens, with its base URL. */
export async function startBenchApi({ root, env, nodeArgs = [] }) {
  const child = new Child('api', process.execPath, [...nodeArgs, join(root, 'apps/api/dist/main.js')], { cwd: root, env, node: true });
  const [, url] = await child.waitForLine(/dingrelay api listening on (http:\/\/[^\s/]+)/, 120_000);
  return { child, base: url.replace('[::1]', '127.0.0.1') };
}
