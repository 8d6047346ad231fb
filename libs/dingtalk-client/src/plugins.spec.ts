import { DEV_APP, type DingTalkSimulator, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { DingTalkApiError } from './dingtalk-api.error.js';
import { DingTalkClient } from './dingtalk.client.js';
import { RetryClass } from './retry-class.js';

const APP = { appKey: DEV_APP.appKey, appSecret: DEV_APP.appSecret };
const ROBOT = DEV_APP.robotCode;
const ENTRY = { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://pc.example.test/a', mobileUrl: 'https://m.example.test/a' };

describe('quick-entry calls against the simulator (§6)', () => {
  let sim: DingTalkSimulator;
  let client: DingTalkClient;

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ plugins: { maxPerRobot: 1 } });
    client = new DingTalkClient({ baseUrl: sim.url });
  });
  beforeEach(() => sim.reset());
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  async function apiError(p: Promise<unknown>): Promise<DingTalkApiError> {
    const err: unknown = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DingTalkApiError);
    return err as DingTalkApiError;
  }

  it('sets (name as a JSON string), queries (name parsed back) and clears', async () => {
    expect(await client.setPlugins(APP, { robotCode: ROBOT, pluginInfoList: [ENTRY] })).toMatchObject({ result: true });
    expect(sim.plugins(ROBOT)).toEqual([{ ...ENTRY, name: JSON.stringify(ENTRY.name) }]);
    const queried = await client.queryPlugins(APP, { robotCode: ROBOT });
    expect(queried.pluginInfoList).toEqual([{ ...ENTRY, rawName: JSON.stringify(ENTRY.name) }]);
    expect(await client.clearPlugins(APP, { robotCode: ROBOT })).toMatchObject({ result: true });
    expect((await client.queryPlugins(APP, { robotCode: ROBOT })).pluginInfoList).toEqual([]);
  });

  it.each([
    ['invalidRequest.exceededMaximumLimit', RetryClass.Permanent, () => client.setPlugins(APP, { robotCode: ROBOT, pluginInfoList: [ENTRY, ENTRY] })],
    ['invalidRequest.robotNotExist', RetryClass.Permanent, () => client.queryPlugins(APP, { robotCode: 'no-such-robot' })],
  ])('surfaces %s as a %s DingTalkApiError', async (code, retryClass, call) => {
    expect(await apiError(call())).toMatchObject({ httpStatus: 400, code, retryClass });
  });

  it('classifies the 500 pluginInstallFail as transient', async () => {
    sim.injectFault({ api: 'pluginsSet', code: 'invalidRequest.pluginInstallFail' });
    expect(await apiError(client.setPlugins(APP, { robotCode: ROBOT, pluginInfoList: [ENTRY] }))).toMatchObject({
      httpStatus: 500,
      code: 'invalidRequest.pluginInstallFail',
      retryClass: RetryClass.Transient,
    });
  });
});
