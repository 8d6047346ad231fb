import { DEV_APP, startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';
import { postJson, request, token } from './sim-client.js';

const OTHER_APP = { appKey: 'other-dev-app', appSecret: 'other-dev-secret', robotCode: 'other-dev-robot' };
const ENTRY = { pcUrl: 'https://pc.example.test/a', mobileUrl: 'https://m.example.test/a', name: '{"en_US":"test123","zh_CN":"测试123"}', icon: '@lALPDtXaDkO3j7hgYA' };

describe('POST /v1.0/robot/plugins/set|query|clear', () => {
  let sim: DingTalkSimulator;
  let accessToken: string;
  const call = (op: 'set' | 'query' | 'clear', body: unknown, tokenValue = accessToken) =>
    postJson(`${sim.url}/v1.0/robot/plugins/${op}`, body, { 'x-acs-dingtalk-access-token': tokenValue });

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ apps: [DEV_APP, OTHER_APP], plugins: { maxPerRobot: 3 } });
  });
  beforeEach(async () => {
    sim.reset();
    accessToken = await token(sim);
  });
  afterAll(() => sim.close());

  it('sets with replace semantics, queries what is installed, and clears', async () => {
    expect(await call('set', { robotCode: DEV_APP.robotCode, pluginInfoList: [ENTRY, { ...ENTRY, icon: '@second' }] })).toMatchObject({
      status: 200,
      body: { result: true },
    });
    await call('set', { robotCode: DEV_APP.robotCode, pluginInfoList: [{ name: '{"zh_CN":"只有一个"}', icon: '@only' }] });
    const query = await call('query', { robotCode: DEV_APP.robotCode });
    expect(query).toMatchObject({ status: 200, body: { pluginInfoList: [{ name: '{"zh_CN":"只有一个"}', icon: '@only' }] } });
    expect(sim.plugins(DEV_APP.robotCode)).toEqual([{ name: '{"zh_CN":"只有一个"}', icon: '@only' }]);

    expect(await call('clear', { robotCode: DEV_APP.robotCode })).toMatchObject({ status: 200, body: { result: true } });
    expect(sim.plugins(DEV_APP.robotCode)).toEqual([]);
    expect(sim.stats().plugins).toMatchObject({ set: { calls: 2, succeeded: 2 }, query: { calls: 1 }, clear: { calls: 1 } });
  });

  it('shows the installed entries on the admin endpoint', async () => {
    await call('set', { robotCode: DEV_APP.robotCode, pluginInfoList: [ENTRY] });
    const res = await request(`${sim.url}/__sim/plugins?robotCode=${DEV_APP.robotCode}`, { method: 'GET' });
    expect(res).toMatchObject({ status: 200, body: { robotCode: DEV_APP.robotCode, pluginInfoList: [ENTRY] } });
  });

  it.each([
    ['a missing robotCode', {}, 'param.illegal'],
    ['a non-array pluginInfoList', { robotCode: DEV_APP.robotCode, pluginInfoList: 'x' }, 'param.illegal'],
    ['an entry without icon', { robotCode: DEV_APP.robotCode, pluginInfoList: [{ name: '{"en_US":"a"}' }] }, 'param.illegal'],
    ['an entry without name', { robotCode: DEV_APP.robotCode, pluginInfoList: [{ icon: '@a' }] }, 'param.illegal'],
    ['a name that is not JSON', { robotCode: DEV_APP.robotCode, pluginInfoList: [{ name: 'plain', icon: '@a' }] }, 'invalidRequest.jsonFormatErroj'],
    ['an unknown robot', { robotCode: 'no-such-robot', pluginInfoList: [ENTRY] }, 'invalidRequest.robotNotExist'],
    ["another app's robot", { robotCode: OTHER_APP.robotCode, pluginInfoList: [ENTRY] }, 'invalidRequest.robotCodeNotMatch'],
    ['more entries than the maximum', { robotCode: DEV_APP.robotCode, pluginInfoList: [ENTRY, ENTRY, ENTRY, ENTRY] }, 'invalidRequest.exceededMaximumLimit'],
  ])('refuses %s with 400 %s and changes nothing', async (_case, body, code) => {
    await call('set', { robotCode: DEV_APP.robotCode, pluginInfoList: [ENTRY] });
    const res = await call('set', body);
    expect(res).toMatchObject({ status: 400, body: { code, requestid: expect.any(String) } });
    expect(sim.plugins(DEV_APP.robotCode)).toEqual([ENTRY]);
  });

  it('answers robotIsStop for every operation on a stopped robot', async () => {
    sim.configure({ plugins: { maxPerRobot: 3, stoppedRobotCodes: [DEV_APP.robotCode] } });
    for (const op of ['set', 'query', 'clear'] as const) {
      const res = await call(op, { robotCode: DEV_APP.robotCode, pluginInfoList: [ENTRY] });
      expect(res).toMatchObject({ status: 400, body: { code: 'invalidRequest.robotIsStop' } });
    }
  });

  it('refuses an unknown token with InvalidAuthentication', async () => {
    expect(await call('query', { robotCode: DEV_APP.robotCode }, 'not-a-token')).toMatchObject({
      status: 400,
      body: { code: 'InvalidAuthentication' },
    });
  });

  it.each([
    ['system.error', 500],
    ['invalidRequest.pluginInstallFail', 500],
  ])('injects %s through the fault script (HTTP %i) without installing', async (code, status) => {
    sim.injectFault({ api: 'pluginsSet', code });
    const res = await call('set', { robotCode: DEV_APP.robotCode, pluginInfoList: [ENTRY] });
    expect(res).toMatchObject({ status, body: { code } });
    expect(sim.plugins(DEV_APP.robotCode)).toEqual([]);
    expect(sim.stats().faultsInjected).toEqual({ [code]: 1 });
  });
});
