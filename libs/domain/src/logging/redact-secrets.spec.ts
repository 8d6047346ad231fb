import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../api-keys/api-key-secret.js';
import { generateSecretEncryptionKey } from '../secrets/secret-cipher.js';
import { isSecretKey, REDACTED, redactSecrets, redactText, registerEnvironmentSecrets, registerSecret } from './redact-secrets.js';

const fresh = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

describe('redactText', () => {
  it('keeps an API key prefix and hides its secret, wherever the key appears', () => {
    const { key, prefix } = generateApiKey();
    const secret = key.slice(`drk_${prefix}_`.length);
    for (const text of [key, `key ${key} rejected`, `Authorization: Bearer ${key}`, `{"key":"${key}"}`, `?k=${key}&x=1`]) {
      const out = redactText(text);
      expect(out).not.toContain(secret);
      expect(out).toContain(`drk_${prefix}_`);
    }
    expect(redactText(`got ${key}.`)).toBe(`got drk_${prefix}_${REDACTED}.`);
  });

  it('hides malformed keys whole', () => {
    expect(redactText('key drk_notakey_abcdefghijkl')).toBe(`key drk_${REDACTED}`);
  });

  it('hides Bearer and Basic credentials but not the challenge realm', () => {
    expect(redactText('authorization header was Bearer abc.def-ghi')).toBe(`authorization header was Bearer ${REDACTED}`);
    expect(redactText('Basic dXNlcjpwYXNzd29yZA==')).toBe(`Basic ${REDACTED}`);
    expect(redactText('WWW-Authenticate: Bearer realm="dingrelay"')).toBe('WWW-Authenticate: Bearer realm="dingrelay"');
  });

  it('hides passwords in connection URLs and keeps the rest', () => {
    expect(redactText('connect postgres://relay:s3cr3t-pw@db.internal:5432/dingrelay failed')).toBe(
      `connect postgres://relay:${REDACTED}@db.internal:5432/dingrelay failed`,
    );
    expect(redactText('redis://:p%40ss@cache:6379/0')).toBe(`redis://:${REDACTED}@cache:6379/0`);
    expect(redactText('postgres://postgres@127.0.0.1:5432/x')).toBe('postgres://postgres@127.0.0.1:5432/x');
  });

  it("hides a download link's token, relative or absolute, and keeps the route pattern", () => {
    const token = 'q3v8X-1_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789a';
    expect(redactText(`GET /v1/exports/downloads/${token} failed`)).toBe(`GET /v1/exports/downloads/${REDACTED} failed`);
    expect(redactText(`open https://relay.example.com/v1/exports/downloads/${token}?x=1`)).toBe(
      `open https://relay.example.com/v1/exports/downloads/${REDACTED}?x=1`,
    );
    expect(redactText('GET /v1/exports/downloads/:token 404 2 ms')).toBe('GET /v1/exports/downloads/:token 404 2 ms');
  });

  it.each([
    ['x-acs-dingtalk-access-token: 5f3a9c0e1b', `x-acs-dingtalk-access-token: ${REDACTED}`],
    ['"x-acs-dingtalk-access-token":"5f3a9c0e1b"', `"x-acs-dingtalk-access-token":"${REDACTED}"`],
    ['{"accessToken":"tok-123456","expireIn":7200}', `{"accessToken":"${REDACTED}","expireIn":7200}`],
    ['GET /gettoken?appkey=ding1&appsecret=very-secret-value', `GET /gettoken?appkey=ding1&appsecret=${REDACTED}`],
    ['?access_token=abcdef123&x=1', `?access_token=${REDACTED}&x=1`],
    ["{ appSecret: 'abc123def', robotCode: 'r1' }", `{ appSecret: '${REDACTED}', robotCode: 'r1' }`],
    ['clientSecret=topsecret1 aesKey=xyzxyzxyz', `clientSecret=${REDACTED} aesKey=${REDACTED}`],
    ['password: hunter22', `password: ${REDACTED}`],
    ['DINGTALK_APP_SECRET=abc123abc', `DINGTALK_APP_SECRET=${REDACTED}`],
    ['"callbackToken": "tok"', `"callbackToken": "${REDACTED}"`],
    ['authorization=xyz123abc', `authorization=${REDACTED}`],
  ])('hides the value of a secret-looking key: %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'batch 9b1c: qps-throttle 90018, retry in 1200 ms',
      'nextToken=eyJpZCI6MX0 maxResults=100',
      'chat configuration ops: stored secrets cannot be decrypted (key k1 is not in SECRET_ENCRYPTION_KEYS)',
      'token fetch failed: 401',
      'GET /v1/sends/:id 200 12 ms',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });

  it('hides registered literal values anywhere, including inside other words', () => {
    const secret = fresh('literal');
    registerSecret(secret);
    expect(redactText(`x${secret}y and ${secret}`)).toBe(`x${REDACTED}y and ${REDACTED}`);
  });

  it('ignores values too short to register safely', () => {
    registerSecret('abc');
    registerSecret('');
    registerSecret(undefined);
    expect(redactText('abc is fine')).toBe('abc is fine');
  });

  it('registers the secrets of an environment, each encryption key separately', () => {
    const k1 = generateSecretEncryptionKey('k1');
    const k2 = generateSecretEncryptionKey('k2');
    const appSecret = fresh('app');
    const bootstrap = generateApiKey().key;
    registerEnvironmentSecrets({
      DINGTALK_APP_SECRET: appSecret,
      BOOTSTRAP_ADMIN_API_KEY: bootstrap,
      SECRET_ENCRYPTION_KEYS: `${k1},${k2}`,
      DATABASE_URL: 'postgres://relay:db-password-1@db:5432/x',
    });
    const text = `${appSecret} ${bootstrap} ${k1.slice(3)} ${k2.slice(3)} db-password-1`;
    const out = redactText(text);
    for (const s of [appSecret, bootstrap.slice(17), k1.slice(3), k2.slice(3), 'db-password-1']) expect(out).not.toContain(s);
  });
});

describe('redactSecrets', () => {
  it('replaces values under secret-looking keys at any depth and leaves the input untouched', () => {
    const input = {
      name: 'ops',
      configuration: { clientId: 'ding1', clientSecret: 'cs-123456', robotCode: 'r1' },
      headers: { 'x-acs-dingtalk-access-token': 'tok-abcdef', 'content-type': 'application/json', Authorization: 'Bearer x' },
      list: [{ password: 'p1' }, { token: 't-1' }],
      outputs: { aesKey: 'a'.repeat(43), url: 'https://x/y' },
    };
    const copy = structuredClone(input);
    expect(redactSecrets(input)).toEqual({
      name: 'ops',
      configuration: { clientId: 'ding1', clientSecret: REDACTED, robotCode: 'r1' },
      headers: { 'x-acs-dingtalk-access-token': REDACTED, 'content-type': 'application/json', Authorization: REDACTED },
      list: [{ password: REDACTED }, { token: REDACTED }],
      outputs: { aesKey: REDACTED, url: 'https://x/y' },
    });
    expect(input).toEqual(copy);
  });

  it('redacts strings inside arrays, maps and sets, and survives cycles', () => {
    const { key, prefix } = generateApiKey();
    const cyclic: Record<string, unknown> = { note: `used ${key}` };
    cyclic.self = cyclic;
    const out = redactSecrets({ cyclic, list: [key], map: new Map([['appSecret', 'v-123456']]), set: new Set([key]) }) as Record<string, unknown>;
    const json = JSON.stringify(out);
    expect(json).not.toContain(key);
    expect(json).toContain(`drk_${prefix}_${REDACTED}`);
    expect(json).toContain('[Circular]');
    expect((out.map as Record<string, unknown>).appSecret).toBe(REDACTED);
  });

  it('turns errors into redacted plain objects, stack and cause included', () => {
    const secret = fresh('in-error');
    registerSecret(secret);
    const cause = new Error(`inner: password=${'hunter2x'}`);
    const error = Object.assign(new Error(`outer with ${secret} and postgres://u:pw-123@h/db`, { cause }), { code: 'E1', token: 'tok-999999' });
    const out = redactSecrets(error) as Record<string, unknown>;
    const json = JSON.stringify(out);
    expect(out.name).toBe('Error');
    expect(out.code).toBe('E1');
    expect(out.token).toBe(REDACTED);
    expect(typeof out.stack).toBe('string');
    for (const s of [secret, 'pw-123', 'hunter2x', 'tok-999999']) expect(json).not.toContain(s);
    expect((out.cause as Record<string, unknown>).message).toBe(`inner: password=${REDACTED}`);
  });

  it('keeps numbers, booleans, null and dates; empty secret values stay empty', () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    expect(redactSecrets({ n: 1, b: true, z: null, when, token: '', secret: null })).toEqual({
      n: 1,
      b: true,
      z: null,
      when: '2026-01-02T03:04:05.000Z',
      token: '',
      secret: null,
    });
  });
});

describe('isSecretKey', () => {
  it.each(['appSecret', 'app_secret', 'CLIENT_SECRET', 'X-Acs-Dingtalk-Access-Token', 'accessToken', 'aesKey', 'authorization', 'password', 'token', 'DingTalkClientSecret'])(
    '%s is secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );
  it.each(['nextToken', 'tokenType', 'secretKeyId', 'robotCode', 'clientId', 'requestId', 'expireIn'])('%s is not', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );
});
