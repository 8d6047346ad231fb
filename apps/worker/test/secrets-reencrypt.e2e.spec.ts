import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ChatConfigurationDirectory,
  ChatConfigurationsConfig,
  ChatConfigurationsModule,
  ConfigError,
  CreateChatConfigurationUseCase,
  DatabaseModule,
  generateSecretEncryptionKey,
  systemActor,
  validateConfig,
} from '@dingrelay/domain';
import { buildWorkerApp, openTestDataSource, prepareTestDatabase } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';

@Module({})
class KeyringRoot {}

const run = randomBytes(3).toString('hex');
const OLD = generateSecretEncryptionKey(`old${run}`);
const NEW = generateSecretEncryptionKey(`new${run}`);
const OTHER = generateSecretEncryptionKey(`other${run}`);
const idOf = (entry: string) => entry.slice(0, entry.indexOf(':'));

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('secret key rotation: npm run secrets:reencrypt', () => {
  let databaseUrl: string;
  let db: DataSource;
  let command: string;
  const contexts: INestApplicationContext[] = [];

  /** The configurations as a process with this SECRET_ENCRYPTION_KEYS sees them. */
  async function withKeys(keys: string): Promise<INestApplicationContext> {
    const context = await NestFactory.createApplicationContext(
      {
        module: KeyringRoot,
        imports: [
          DatabaseModule.forRoot({ url: databaseUrl, poolSize: 2, migrate: false }),
          ChatConfigurationsModule.forRoot({ secretEncryptionKeys: keys }),
        ],
      },
      { logger: false },
    );
    contexts.push(context);
    return context;
  }

  /** The command as an operator runs it (the script's second step, on the built worker app). */
  function reencrypt(keys: string, names: string[]): Promise<CommandResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [command, ...names.flatMap((n) => ['--name', n])],
        { env: { ...process.env, DATABASE_URL: databaseUrl, SECRET_ENCRYPTION_KEYS: keys }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  async function createUnder(keys: string, name: string, clientSecret: string): Promise<void> {
    const context = await withKeys(keys);
    await context.get(CreateChatConfigurationUseCase).execute({
      actor: systemActor('test'),
      name,
      type: 'DingTalk',
      dingTalk: { clientId: `app-${name}`, clientSecret, robotCode: `robot-${name}` },
    });
  }

  const row = async (name: string): Promise<{ secret_key_id: string; client_secret_encrypted: string; aes_key_encrypted: string }> =>
    (await db.query(`SELECT secret_key_id, client_secret_encrypted, aes_key_encrypted FROM chat_configurations WHERE name = $1`, [name]))[0];

  beforeAll(async () => {
    databaseUrl = await prepareTestDatabase();
    db = await openTestDataSource(databaseUrl);
    await buildWorkerApp();
    command = join(process.cwd(), 'apps/worker/dist/secrets-reencrypt.js');
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await db?.destroy();
  });

  it('reads rows under the old key before rotation, moves them to the new key, and audits each', async () => {
    const [x, y] = [`rot-x-${run}`, `rot-y-${run}`];
    const secrets = { [x]: `sx-${randomBytes(8).toString('hex')}`, [y]: `sy-${randomBytes(8).toString('hex')}` };
    await createUnder(OLD, x, secrets[x]!);
    await createUnder(OLD, y, secrets[y]!);
    const before = await row(x);
    expect(before.secret_key_id).toBe(idOf(OLD));

    // The new key is put first; rows written under the old one still decrypt before the command runs.
    const rotated = await withKeys(`${NEW},${OLD}`);
    expect(await rotated.get(ChatConfigurationDirectory).find(x)).toMatchObject({ appSecret: secrets[x] });

    const result = await reencrypt(`${NEW},${OLD}`, [x, y]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({ reencrypted: [x, y], unknownKey: [], failed: [] });
    const after = await row(x);
    expect(after.secret_key_id).toBe(idOf(NEW));
    expect(after.client_secret_encrypted).not.toBe(before.client_secret_encrypted);
    expect(after.aes_key_encrypted).not.toBe(before.aes_key_encrypted);
    expect(result.stdout + result.stderr).not.toContain(secrets[x]);

    // The old key can now go: the new one alone reads both rows; the old one alone reads neither.
    const newOnly = await withKeys(NEW);
    for (const name of [x, y]) expect(await newOnly.get(ChatConfigurationDirectory).find(name)).toMatchObject({ appSecret: secrets[name] });
    const oldOnly = await withKeys(OLD);
    await expect(oldOnly.get(ChatConfigurationDirectory).find(x)).rejects.toThrow(/is not in SECRET_ENCRYPTION_KEYS/);

    const audit: { target_id: string; actor_name: string; details: Record<string, string> }[] = await db.query(
      `SELECT target_id, actor_name, details FROM audit_events WHERE action = 'secrets.reencrypt' AND target_id = ANY($1) ORDER BY target_id`,
      [[x, y]],
    );
    expect(audit).toEqual([
      { target_id: x, actor_name: 'system:secrets-reencrypt', details: { fromKeyId: idOf(OLD), toKeyId: idOf(NEW) } },
      { target_id: y, actor_name: 'system:secrets-reencrypt', details: { fromKeyId: idOf(OLD), toKeyId: idOf(NEW) } },
    ]);

    // Run again: nothing left to do.
    const again = await reencrypt(`${NEW},${OLD}`, [x, y]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim())).toEqual({ reencrypted: [], unknownKey: [], failed: [] });
  }, 120_000);

  it('reports rows under a key the variable does not list, and exits 2 without touching them', async () => {
    const z = `rot-z-${run}`;
    await createUnder(OTHER, z, `sz-${randomBytes(8).toString('hex')}`);
    const result = await reencrypt(`${NEW},${OLD}`, [z]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout.trim())).toEqual({ reencrypted: [], unknownKey: [{ name: z, keyId: idOf(OTHER) }], failed: [] });
    expect((await row(z)).secret_key_id).toBe(idOf(OTHER));
  }, 60_000);

  it('refuses to start with a missing or malformed SECRET_ENCRYPTION_KEYS, saying why and never echoing a key', () => {
    const problem = (value: string | undefined) => {
      try {
        validateConfig(ChatConfigurationsConfig, { SECRET_ENCRYPTION_KEYS: value });
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).message;
      }
    };
    expect(problem(undefined)).toMatch(/SECRET_ENCRYPTION_KEYS: must be set/);
    expect(problem('k1:c2hvcnQ=')).toMatch(/SECRET_ENCRYPTION_KEYS: key k1 must be 32 bytes, base64-encoded/);
    expect(problem('k1:c2hvcnQ=')).not.toContain('c2hvcnQ');
    expect(problem(`${NEW},${NEW}`)).toMatch(/appears twice/);
    expect(problem(`no id here`)).toMatch(/must start with a key id/);
    expect(problem(`${NEW},${OLD}`)).toBe('accepted');
  });
});
