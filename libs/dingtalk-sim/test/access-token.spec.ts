import { DEV_APP, startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';
import { batchSend, postJson, request, requestToken, textSend, token } from './sim-client.js';

const OTHER_APP = { appKey: 'other-dev-app', appSecret: 'other-dev-secret', robotCode: 'other-dev-robot' };

describe('POST /v1.0/oauth2/accessToken', () => {
  let sim: DingTalkSimulator;
  let clock = 0;

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ apps: [DEV_APP, OTHER_APP], tokenTtlSeconds: 100, now: () => clock });
  });
  beforeEach(() => {
    clock = 1_000_000;
    sim.reset();
  });
  afterAll(() => sim.close());

  it('issues a token with expireIn equal to the TTL', async () => {
    const res = await requestToken(sim);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), expireIn: 100 });
  });

  it('returns the same token while valid and pushes its expiry back on every call', async () => {
    const first = await token(sim);
    clock += 90_000; // 10 s before the original expiry
    expect(await token(sim)).toBe(first);
    clock += 90_000; // past the original expiry, inside the renewed one
    const send = await batchSend(sim, first, textSend(['user-1']));
    expect(send.status).toBe(200);
    expect(await token(sim)).toBe(first);
    expect(sim.stats().accessToken).toMatchObject({ calls: 3, issued: 1, renewed: 2 });
  });

  it('issues a new token after expiry and the old one stops working', async () => {
    const first = await token(sim);
    clock += 100_000;
    const rejected = await batchSend(sim, first, textSend(['user-1']));
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ code: 'InvalidAuthentication', message: '不合法的access_token' });
    const second = await token(sim);
    expect(second).not.toBe(first);
    expect((await batchSend(sim, second, textSend(['user-1']))).status).toBe(200);
  });

  it('keeps tokens per app', async () => {
    const a = await token(sim, DEV_APP);
    const b = await token(sim, OTHER_APP);
    expect(a).not.toBe(b);
    expect(await token(sim, DEV_APP)).toBe(a);
  });

  it('expireAllTokens() invalidates every token at once', async () => {
    const first = await token(sim);
    expect(sim.expireAllTokens()).toBe(1);
    const res = await batchSend(sim, first, textSend(['user-1']));
    expect(res.body.code).toBe('InvalidAuthentication');
    expect(await token(sim)).not.toBe(first);
  });

  it.each([
    ['wrong secret', { appKey: DEV_APP.appKey, appSecret: 'not-the-secret' }],
    ['unknown appKey', { appKey: 'no-such-app', appSecret: DEV_APP.appSecret }],
    ["another app's secret", { appKey: DEV_APP.appKey, appSecret: OTHER_APP.appSecret }],
  ])('rejects %s with 400 invalidClientIdOrSecret', async (_name, body) => {
    const res = await postJson(`${sim.url}/v1.0/oauth2/accessToken`, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidClientIdOrSecret');
    expect(sim.stats().accessToken.issued).toBe(0);
  });

  it('answers Missingbody when the body is form-urlencoded, empty or not JSON', async () => {
    const url = `${sim.url}/v1.0/oauth2/accessToken`;
    const form = await request(url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `appKey=${DEV_APP.appKey}&appSecret=${DEV_APP.appSecret}`,
    });
    const empty = await request(url, { headers: { 'content-type': 'application/json' } });
    const garbage = await request(url, { headers: { 'content-type': 'application/json' }, body: '{"appKey":' });
    const array = await request(url, { headers: { 'content-type': 'application/json' }, body: '[]' });
    for (const res of [form, empty, garbage, array]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'Missingbody', message: 'body is mandatory for this action.' });
    }
  });

  it('names a missing credential field gateway-style', async () => {
    const url = `${sim.url}/v1.0/oauth2/accessToken`;
    expect((await postJson(url, { appSecret: DEV_APP.appSecret })).body.code).toBe('MissingappKey');
    expect((await postJson(url, { appKey: DEV_APP.appKey })).body.code).toBe('MissingappSecret');
  });
});
