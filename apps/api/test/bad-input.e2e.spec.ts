import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { openTestDataSource, uniqueQueuePrefix, deleteQueuePrefix } from '@dingrelay/testing';
import type { DataSource } from 'typeorm';
import { insertHistorySend } from './support/history-fixtures.js';
import { apiRequest, startTestApi } from './support/test-api.js';

/**
 * Input a fuzzer found answered with 500 or slipping through (issue #13, findings 4 and 8): NUL characters, forged
 * page tokens whose positions are out of range, JSON nested thousands deep, prototype keys. Each must be a 400 in the
 * one error shape, naming the field, with the caller's request id, and must write nothing.
 */
describe('bad input is a 400 naming the problem, never a 500', () => {
  let api: INestApplication;
  let db: DataSource;
  const prefix = uniqueQueuePrefix('bad-input');
  const run = randomUUID().slice(0, 8);
  const configuration = `bad-input-${run}`;
  const user = `bad-input-user-${run}`;
  let sendId: string;

  beforeAll(async () => {
    api = await startTestApi({ queuePrefix: prefix, robotCode: `bad-input-robot-${run}` });
    db = await openTestDataSource();
    // Two sends of one configuration to one user (and two recipients on the second): every list has a second page.
    await insertHistorySend(db, { chatConfiguration: configuration, recipients: [{ userId: user }] });
    sendId = await insertHistorySend(db, { chatConfiguration: configuration, recipients: [{ userId: user }, { userId: `${user}-2` }] });
  });

  afterAll(async () => {
    await db?.destroy();
    await api?.close();
    await deleteQueuePrefix(prefix);
  });

  /** Sends the request with a request id of its own and checks the answer is that 400, naming `field`. */
  async function expectBadRequest(send: (requestId: string) => Promise<import('supertest').Response>, field: string | RegExp) {
    const requestId = `bad-input-${randomUUID()}`;
    const res = await send(requestId);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.requestId).toBe(requestId);
    expect(res.headers['x-request-id']).toBe(requestId);
    const fields = (res.body.details as { field: string }[]).map((d) => d.field);
    expect(fields.some((f) => (typeof field === 'string' ? f === field : field.test(f)))).toBe(true);
    return res;
  }

  const get = (path: string) => (requestId: string) => apiRequest(api).get(path).set('X-Request-Id', requestId);
  const post = (path: string, body: unknown) => (requestId: string) =>
    apiRequest(api).post(path).set('X-Request-Id', requestId).set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));

  /** A real token's position replaced: scope and format stay valid, so only the position is on trial. */
  function withPosition(token: string, position: unknown[]): string {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p: unknown[] };
    return Buffer.from(JSON.stringify({ ...decoded, p: position }), 'utf8').toString('base64url');
  }
  const tokenFor = (scope: string, position: unknown[]) => Buffer.from(JSON.stringify({ v: 1, s: scope, p: position })).toString('base64url');
  async function realToken(path: string): Promise<string> {
    const res = await apiRequest(api).get(path).expect(200);
    expect({ path, nextToken: typeof res.body.nextToken }).toEqual({ path, nextToken: 'string' });
    return res.body.nextToken as string;
  }

  describe('NUL characters', () => {
    it.each([
      ['a history filter', `/v1/sends?requester=a%00b`, 'requester'],
      ['a user id', `/v1/recipients?userId=a%00b`, 'userId'],
      ['an audit filter', `/v1/audit-events?action=a%00b`, 'action'],
      ['a path parameter', `/v1/chat-configurations/a%00b`, 'name'],
    ])('in %s', async (_what, path, field) => {
      await expectBadRequest(get(path), field);
    });

    it('in a body field: nothing is written', async () => {
      const idempotencyKey = `bad-input-nul-${run}`;
      await expectBadRequest(
        post('/v1/sends', { chatConfiguration: configuration, userIds: ['u1'], msgKey: 'sampleText', msgParam: { content: 'a\u0000b' }, idempotencyKey }),
        'msgParam.content',
      );
      const rows = await db.query(`SELECT 1 FROM sends WHERE idempotency_key = $1`, [idempotencyKey]);
      expect(rows).toEqual([]);
    });

    it('in a body key', async () => {
      await expectBadRequest(post('/v1/api-keys', { name: `bad-${run}`, role: 'auditor', 'x\u0000y': 1 }), /x/);
    });
  });

  // Found by the OpenAPI fuzzer (openapi-fuzz.e2e.spec.ts): Postgres' jsonb cannot hold a lone UTF-16 surrogate, so
  // one in a field stored as jsonb (msgParam, a plugin's name, a tag) failed the insert with a 500.
  describe('lone surrogates (not well-formed Unicode)', () => {
    it.each([
      ['msgParam.content', '/v1/sends', { chatConfiguration: configuration, userIds: ['u1'], msgKey: 'sampleText', msgParam: { content: 'a\ud800b' } }],
      ['plugins[0].name.en_US', `/v1/chat-configurations/${configuration}/plugins`, { plugins: [{ name: { zh_CN: '请假', en_US: '\udfff' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/leave' }] }],
      ['tags.team', '/v1/chat-configurations', { name: `bad-surrogate-${run}`, type: 'DingTalk', tags: { team: 'x\ud800' } }],
      ['a tag key', '/v1/chat-configurations', { name: `bad-surrogate-${run}`, type: 'DingTalk', tags: { 'x\ud800': 'team' } }],
    ])('in %s: a 400 naming it, nothing written', async (field, path, body) => {
      const before = await db.query(`SELECT (SELECT count(*) FROM sends)::int AS sends, (SELECT count(*) FROM chat_configurations)::int AS configurations`);
      const requestId = `bad-input-${randomUUID()}`;
      const res = await (path.endsWith('/plugins') ? apiRequest(api).put(path) : apiRequest(api).post(path))
        .set('X-Request-Id', requestId).set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect({ status: res.status, code: res.body.code, requestId: res.body.requestId }).toEqual({ status: 400, code: 'VALIDATION_FAILED', requestId });
      const fields: string[] = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toContain(field === 'a tag key' ? 'tags["x\\ud800"]' : field.replace('[0]', '.0'));
      expect(await db.query(`SELECT (SELECT count(*) FROM sends)::int AS sends, (SELECT count(*) FROM chat_configurations)::int AS configurations`)).toEqual(before);
    });
  });

  it('a callback query parameter given twice is a 400 naming it, not a 500 (found by the fuzzer)', async () => {
    await expectBadRequest(
      post(`/v1/callbacks/dingtalk/${configuration}/events?timestamp=1&nonce=n&msg_signature=a&msg_signature=b`, { encrypt: 'AAAA' }),
      'msg_signature',
    );
    await expectBadRequest(post(`/v1/callbacks/dingtalk/${configuration}/events?timeStamp=1&timeStamp=2&nonce=n&signature=a`, { encrypt: 'AAAA' }), 'timeStamp');
  });

  describe('page tokens with positions no row can have', () => {
    it('a send id that is not a UUID, and a timestamp that is no date, on the send history', async () => {
      const token = await realToken(`/v1/sends?chatConfiguration=${configuration}&maxResults=1`);
      const [at, id] = JSON.parse(Buffer.from(token, 'base64url').toString()).p as string[];
      for (const position of [[at, 'not-a-uuid'], ['2024-13-45T99:99:99.000000Z', id], ['2024-02-30T00:00:00.000000Z', id], [at, id, 'extra'], [1, id]]) {
        await expectBadRequest(get(`/v1/sends?chatConfiguration=${configuration}&maxResults=1&nextToken=${withPosition(token, position)}`), 'nextToken');
      }
      // The real token still works: the check refuses only what no row can have.
      await apiRequest(api).get(`/v1/sends?chatConfiguration=${configuration}&maxResults=1&nextToken=${token}`).expect(200);
    });

    it("beyond bigint on a user's messages, a send's recipients and events, the audit log and inbound messages", async () => {
      const beyond = '9223372036854775808';
      const userToken = await realToken(`/v1/recipients?userId=${user}&maxResults=1`);
      const [at] = JSON.parse(Buffer.from(userToken, 'base64url').toString()).p as string[];
      await expectBadRequest(get(`/v1/recipients?userId=${user}&maxResults=1&nextToken=${withPosition(userToken, [at, beyond])}`), 'nextToken');
      const recipientsToken = await realToken(`/v1/sends/${sendId}/recipients?maxResults=1`);
      await expectBadRequest(get(`/v1/sends/${sendId}/recipients?maxResults=1&nextToken=${withPosition(recipientsToken, [beyond])}`), 'nextToken');
      await expectBadRequest(get(`/v1/sends/${sendId}/events?nextToken=${tokenFor(`send-events:${sendId}`, [beyond])}`), 'nextToken');
      const auditToken = await realToken(`/v1/audit-events?maxResults=1`);
      await expectBadRequest(get(`/v1/audit-events?maxResults=1&nextToken=${withPosition(auditToken, [beyond])}`), 'nextToken');
      await expectBadRequest(get(`/v1/inbound-messages?nextToken=${tokenFor(`inbound:${JSON.stringify([null, null, null, null, null, null])}`, [beyond])}`), 'nextToken');
    });

    it('a creation time that is no date on the API keys', async () => {
      const token = await realToken(`/v1/api-keys?maxResults=1`);
      const [, id] = JSON.parse(Buffer.from(token, 'base64url').toString()).p as string[];
      await expectBadRequest(get(`/v1/api-keys?maxResults=1&nextToken=${withPosition(token, ['2024-13-45T99:99:99.000000Z', id])}`), 'nextToken');
    });

    it('NUL in a chat configuration position', async () => {
      const token = tokenFor(`chat-configurations:${JSON.stringify([null, null, null, null, null])}`, ['a\u0000b']);
      await expectBadRequest(get(`/v1/chat-configurations?maxResults=1&nextToken=${token}`), 'nextToken');
    });
  });

  it('JSON nested 20,000 deep', async () => {
    const deep = `{"chatConfiguration":"${configuration}","userIds":["u1"],"msgKey":"sampleText","msgParam":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    await expectBadRequest(post('/v1/sends', deep), /^msgParam(\.a)+$/);
  });

  describe('prototype keys are refused, not ignored', () => {
    it.each([
      ['/v1/sends', { chatConfiguration: configuration, userIds: ['u1'], msgKey: 'sampleText', msgParam: { content: 'x' } }],
      ['/v1/api-keys', { name: `bad-proto-${run}`, role: 'auditor' }],
      ['/v1/chat-configurations', { Name: `bad-proto-${run}`, Type: 'dingtalk' }],
    ])('on POST %s', async (path, body) => {
      for (const key of ['__proto__', 'constructor']) {
        const json = JSON.stringify(body).replace(/^\{/, `{"${key}":{"polluted":true},`);
        await expectBadRequest(post(path, json), key);
      }
      const keys = await db.query(`SELECT 1 FROM api_keys WHERE name = $1`, [`bad-proto-${run}`]);
      expect(keys).toEqual([]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  describe('before any route: the body parser and the path (finding 7)', () => {
    it('malformed JSON answers with the caller\'s request id, in the header and the body', async () => {
      const requestId = `bad-input-${randomUUID()}`;
      const res = await post('/v1/sends', '{"chatConfiguration": ')(requestId);
      expect({ status: res.status, code: res.body.code, requestId: res.body.requestId, header: res.headers['x-request-id'] }).toEqual({
        status: 400,
        code: 'MALFORMED_JSON',
        requestId,
        header: requestId,
      });
      // Like every other 400, it names what is wrong: the body as a whole (the fuzzer found `details: []`).
      expect(res.body.details).toEqual([{ field: '(body)', message: 'Request body is not valid JSON' }]);
    });

    it('a body sent with no API key is refused before it is read', async () => {
      const requestId = `bad-input-${randomUUID()}`;
      // Larger than the body limit: had it been read, the answer would be a 413.
      const res = await apiRequest(api, null)
        .post('/v1/sends')
        .set('X-Request-Id', requestId)
        .set('Content-Type', 'application/json')
        .send(`{"pad":"${'x'.repeat(9 * 1024 * 1024)}"}`);
      expect({ status: res.status, code: res.body.code, requestId: res.body.requestId }).toEqual({ status: 401, code: 'UNAUTHORIZED', requestId });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it("the OOS-compatible endpoint answers these in OOS's shape too", async () => {
      const oosShape = { RequestId: expect.any(String), HostId: expect.any(String), Code: expect.any(String), Message: expect.any(String), Recommend: expect.any(String) };
      const keyless = await apiRequest(api, null).post('/v1/oos').type('form').send({ Action: 'ListChatConfigurations' });
      expect({ status: keyless.status, body: keyless.body }).toEqual({ status: 401, body: { ...oosShape, Code: 'InvalidAccessKeyId' } });
      const tooLarge = await apiRequest(api).post('/v1/oos').type('form').send(`Action=ListChatConfigurations&pad=${'x'.repeat(1_100_000)}`);
      expect({ status: tooLarge.status, body: tooLarge.body }).toEqual({ status: 413, body: { ...oosShape, Code: 'InvalidParameter' } });
    });

    it('a method a path does not answer is a 405 naming the ones it does; an unknown path a 404; neither echoes the URL', async () => {
      const wrongMethod = await apiRequest(api).delete('/v1/sends?x=%3Cscript%3E');
      expect({ status: wrongMethod.status, code: wrongMethod.body.code, allow: wrongMethod.headers['allow'] }).toEqual({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        allow: 'GET, HEAD, POST',
      });
      const onParameter = await apiRequest(api).put(`/v1/sends/${sendId}`);
      expect({ status: onParameter.status, allow: onParameter.headers['allow'] }).toEqual({ status: 405, allow: 'GET, HEAD' });
      const unknown = await apiRequest(api).get('/v1/no-such-thing/%3Cscript%3E');
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      for (const res of [wrongMethod, unknown]) expect(JSON.stringify(res.body)).not.toMatch(/script|no-such-thing/);
      // A 404 of a route that exists is still the route's own.
      const missingSend = await apiRequest(api).get('/v1/sends/00000000-0000-4000-8000-000000000000');
      expect({ status: missingSend.status, message: missingSend.body.message }).toEqual({ status: 404, message: expect.stringMatching(/Send/) });
    });

    it('a malformed percent-escape in the path is a 400 about the path, not about JSON', async () => {
      await expectBadRequest(get('/v1/sends/%E0%A4%A'), '(path)');
    });
  });
});
