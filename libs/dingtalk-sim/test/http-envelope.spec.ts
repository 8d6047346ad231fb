import { startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';
import { batchSend, request, requestToken, textSend, token, UUID_RE, type RawResponse } from './sim-client.js';

describe('HTTP envelope, headers and routing', () => {
  let sim: DingTalkSimulator;

  beforeAll(async () => {
    sim = await startDingTalkSimulator();
  });
  afterAll(() => sim.close());

  function expectDingTalkHeaders(res: RawResponse): void {
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(res.headers.get('server')).toBe('DingTalk/1.0.0');
    expect(res.headers.get('x-acs-request-id')).toMatch(UUID_RE);
    expect(res.headers.get('x-acs-trace-id')).toMatch(/^[0-9a-f]{32}$/);
  }

  it('sends the DingTalk headers on success responses', async () => {
    const tokenRes = await requestToken(sim);
    expectDingTalkHeaders(tokenRes);
    const sendRes = await batchSend(sim, tokenRes.body.accessToken as string, textSend(['user-1']));
    expect(sendRes.status).toBe(200);
    expectDingTalkHeaders(sendRes);
  });

  it('answers every error with exactly {code, message, requestid} and a lower-case requestid matching the header', async () => {
    const res = await batchSend(sim, 'bogus', textSend(['user-1']));
    expect(res.status).toBe(400);
    expectDingTalkHeaders(res);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'requestid']);
    expect(res.body.requestid).toMatch(UUID_RE);
    expect(res.body.requestid).toBe(res.headers.get('x-acs-request-id'));
  });

  it('gives every response its own request id', async () => {
    const a = await batchSend(sim, 'bogus', textSend(['user-1']));
    const b = await batchSend(sim, 'bogus', textSend(['user-1']));
    expect(a.body.requestid).not.toBe(b.body.requestid);
  });

  it.each([
    ['POST', '/v1.0/robot/otoMessages/batchSend'],
    ['POST', '/v1.0/robot/OToMessages/batchSend'],
    ['POST', '/v1.0/robot/oToMessages/batchsend'],
    ['POST', '/v1.0/robot/oToMessages/batchSend/'],
    ['GET', '/v1.0/robot/oToMessages/batchSend'],
    ['POST', '/v1.0/oauth2/accesstoken'],
    ['GET', '/v1.0/oauth2/accessToken'],
    ['POST', '/v1.0/robot/groupMessages/send'],
  ])('answers %s %s with 404 InvalidAction.NotFound', async (method, path) => {
    const accessToken = await token(sim);
    const res = await request(`${sim.url}${path}`, {
      method,
      headers: { 'x-acs-dingtalk-access-token': accessToken, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(textSend(['user-1'])),
    });
    expect(res.status).toBe(404);
    expectDingTalkHeaders(res);
    expect(res.body).toMatchObject({ code: 'InvalidAction.NotFound', requestid: expect.stringMatching(UUID_RE) });
  });

  it('ignores a query string when routing', async () => {
    const accessToken = await token(sim);
    const res = await request(`${sim.url}/v1.0/robot/oToMessages/batchSend?x=1`, {
      headers: { 'x-acs-dingtalk-access-token': accessToken, 'content-type': 'application/json' },
      body: JSON.stringify(textSend(['user-1'])),
    });
    expect(res.status).toBe(200);
  });
});
