import { ConfigError, validateConfig } from '@dingrelay/domain';
import { testSecretEncryptionKeys } from '@dingrelay/testing';
import { WorkerConfig } from './worker.config.js';

describe('WorkerConfig: read tracking', () => {
  it('polls at 1m, 10m, 1h, 6h and 23h after sending unless told otherwise', () => {
    expect(new WorkerConfig().readTracking()).toEqual({
      pollScheduleMs: [60_000, 600_000, 3_600_000, 21_600_000, 82_800_000],
      scanIntervalMs: 1_000,
      unreadableConfigurationBackoffMs: 60_000,
    });
  });

  it('holds back work through an unreadable configuration for UNREADABLE_CONFIGURATION_BACKOFF_MS, within 1 s to 1 h', () => {
    const env = { SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(), UNREADABLE_CONFIGURATION_BACKOFF_MS: '5000' };
    expect(validateConfig(WorkerConfig, env).readTracking().unreadableConfigurationBackoffMs).toBe(5_000);
    for (const value of ['999', '3600001', 'soon']) {
      expect(() => validateConfig(WorkerConfig, { ...env, UNREADABLE_CONFIGURATION_BACKOFF_MS: value })).toThrow(
        /UNREADABLE_CONFIGURATION_BACKOFF_MS/,
      );
    }
  });

  it.each([
    ['10m,1m', 'ascending'],
    ['1m,25h', '24 h'],
    ['soon', 'not a duration'],
  ])('refuses READ_STATUS_POLL_SCHEDULE=%s at boot, saying why', (schedule, why) => {
    let error: unknown;
    try {
      validateConfig(WorkerConfig, { READ_STATUS_POLL_SCHEDULE: schedule });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const line = (error as Error).message.split('\n').find((l) => l.includes('READ_STATUS_POLL_SCHEDULE'));
    expect(line).toContain(why);
  });
});

describe('WorkerConfig: ops port', () => {
  it('listens on 127.0.0.1:3001 unless told otherwise', () => {
    const config = validateConfig(WorkerConfig, { SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys() });
    expect([config.WORKER_HTTP_HOST, config.WORKER_HTTP_PORT]).toEqual(['127.0.0.1', 3001]);
  });

  it('takes 0 for a free port and any host to bind', () => {
    const config = validateConfig(WorkerConfig, {
      SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(),
      WORKER_HTTP_PORT: '0',
      WORKER_HTTP_HOST: '0.0.0.0',
    });
    expect([config.WORKER_HTTP_HOST, config.WORKER_HTTP_PORT]).toEqual(['0.0.0.0', 0]);
  });

  it.each(['65536', '-1', 'http'])('refuses WORKER_HTTP_PORT=%s at boot, naming it', (port) => {
    expect(() => validateConfig(WorkerConfig, { SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys(), WORKER_HTTP_PORT: port })).toThrow(
      /WORKER_HTTP_PORT/,
    );
  });
});

describe('WorkerConfig: audit digests', () => {
  const env = { SECRET_ENCRYPTION_KEYS: testSecretEncryptionKeys() };

  it('requires AUDIT_DIGEST_KEY in production, and a long enough one wherever it is given', () => {
    expect(() => validateConfig(WorkerConfig, { ...env, NODE_ENV: 'production' })).toThrow(/AUDIT_DIGEST_KEY: is required in production/);
    expect(() => validateConfig(WorkerConfig, { ...env, AUDIT_DIGEST_KEY: 'short' })).toThrow(/AUDIT_DIGEST_KEY: must be at least 32 characters/);
    expect(validateConfig(WorkerConfig, { ...env, NODE_ENV: 'production', AUDIT_DIGEST_KEY: 'k'.repeat(32) }).AUDIT_DIGEST_KEY).toBe('k'.repeat(32));
    expect(validateConfig(WorkerConfig, env).AUDIT_DIGEST_KEY).toBeUndefined();
  });

  it('publishes every 10 minutes unless told otherwise; a URL must be http(s)', () => {
    expect(new WorkerConfig().AUDIT_DIGEST_INTERVAL_MS).toBe(600_000);
    expect(() => validateConfig(WorkerConfig, { ...env, AUDIT_DIGEST_URL: 'file:///tmp/x' })).toThrow(/AUDIT_DIGEST_URL: must be an http\(s\) URL/);
  });
});
