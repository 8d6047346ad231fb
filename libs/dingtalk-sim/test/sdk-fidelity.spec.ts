import dingtalk from '@alicloud/dingtalk';
import openapi from '@alicloud/openapi-client';
import teaUtil from '@alicloud/tea-util';
import { DEV_APP, startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';

/**
 * The official generated SDK (@alicloud/dingtalk, CommonJS) pointed at the simulator: if the SDK parses our success
 * bodies and surfaces our errors the way it does real DingTalk's, the wire format is faithful.
 */
const Oauth2Client = dingtalk.oauth2_1_0.default;
const RobotClient = dingtalk.robot_1_0.default;
const { GetAccessTokenRequest } = dingtalk.oauth2_1_0;
const { BatchSendOTOHeaders, BatchSendOTORequest } = dingtalk.robot_1_0;

/** The fields the SDK's gateway interceptor puts on the error it throws for a 4xx/5xx answer. */
interface SdkError {
  code: string;
  message: string;
  data: { statusCode: number; code: string; message: string; requestid: string };
}

describe('simulator fidelity with the official @alicloud/dingtalk SDK', () => {
  let sim: DingTalkSimulator;
  let oauth: InstanceType<typeof Oauth2Client>;
  let robot: InstanceType<typeof RobotClient>;
  const runtime = new teaUtil.RuntimeOptions({});

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ flowControl: { userIds: ['user-9'], times: 1 } });
    const config = (): InstanceType<typeof openapi.Config> =>
      new openapi.Config({ protocol: 'http', endpoint: `${sim.host}:${sim.port}`, regionId: 'central' });
    oauth = new Oauth2Client(config());
    robot = new RobotClient(config());
  });
  afterAll(() => sim.close());

  async function sdkToken(appSecret = DEV_APP.appSecret): Promise<string> {
    const res = await oauth.getAccessToken(new GetAccessTokenRequest({ appKey: DEV_APP.appKey, appSecret }));
    expect(res.statusCode).toBe(200);
    return res.body!.accessToken!;
  }

  function send(accessToken: string, request: Record<string, unknown>) {
    const headers = new BatchSendOTOHeaders({ xAcsDingtalkAccessToken: accessToken });
    return robot.batchSendOTOWithOptions(new BatchSendOTORequest(request), headers, runtime);
  }

  async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
    try {
      await promise;
    } catch (err) {
      return err as SdkError;
    }
    throw new Error('expected the SDK call to throw');
  }

  it('getAccessToken parses accessToken and expireIn, and returns the same token while valid', async () => {
    const res = await oauth.getAccessToken(new GetAccessTokenRequest({ appKey: DEV_APP.appKey, appSecret: DEV_APP.appSecret }));
    expect(res.body!.accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body!.expireIn).toBe(7200);
    expect(res.headers!['x-acs-request-id']).toBeDefined();
    expect(await sdkToken()).toBe(res.body!.accessToken);
  });

  it('getAccessToken surfaces invalidClientIdOrSecret as a thrown error with code and message', async () => {
    const err = await sdkError(sdkToken('wrong-secret'));
    expect(err.code).toBe('invalidClientIdOrSecret');
    expect(err.message).toContain('code: 400');
    expect(err.data.statusCode).toBe(400);
    expect(err.message).toContain(`request id: ${err.data.requestid}`);
  });

  it('batchSendOTOWithOptions parses processQueryKey and the invalid / flow-controlled lists', async () => {
    const accessToken = await sdkToken();
    const res = await send(accessToken, {
      robotCode: DEV_APP.robotCode,
      userIds: ['user-1', 'user-9', 'manage25231'],
      msgKey: 'sampleMarkdown',
      msgParam: JSON.stringify({ title: 'hello title', text: 'hello text' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body!.processQueryKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(res.body!.invalidStaffIdList).toEqual(['manage25231']);
    expect(res.body!.flowControlledStaffIdList).toEqual(['user-9']);
    expect(sim.ledger.deliveries({ processQueryKey: res.body!.processQueryKey! }).deliveries.map((d) => d.userId)).toEqual(['user-1']);
  });

  it('sends the token header unquoted, so the simulator accepts it like DingTalk does', async () => {
    const accessToken = await sdkToken();
    const res = await send(accessToken, { robotCode: DEV_APP.robotCode, userIds: ['user-2'], msgKey: 'sampleText', msgParam: '{"content":"hi"}' });
    expect(res.statusCode).toBe(200);
    expect(sim.ledger.countFor('user-2')).toBeGreaterThan(0);
  });

  it.each([
    ['an invalid token', 'f'.repeat(32), { msgKey: 'sampleText', msgParam: '{"content":"hi"}' }, 400, 'InvalidAuthentication'],
    ['a missing msgParam field', undefined, { msgKey: 'sampleText', msgParam: '{}' }, 400, 'miss.param.contentOfText'],
    ['an unknown msgKey', undefined, { msgKey: 'sampleFoo', msgParam: '{}' }, 400, 'invalidParameter.msgKey.invalid'],
  ])('batchSendOTOWithOptions throws on %s with the DingTalk code', async (_name, badToken, fields, status, code) => {
    const accessToken = badToken ?? (await sdkToken());
    const err = await sdkError(send(accessToken, { robotCode: DEV_APP.robotCode, userIds: ['user-1'], ...fields }));
    expect(err.code).toBe(code);
    expect(err.data).toMatchObject({ statusCode: status, code, requestid: expect.any(String) });
    // Same text as real DingTalk errors seen through the SDK: "<code>: code: <status>, <message> request id: <id>".
    expect(err.message).toBe(`${code}: code: ${status}, ${err.data.message} request id: ${err.data.requestid}`);
    expect(err.data.requestid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it('surfaces injected 429 system.busy and 403 QPS errors the same way', async () => {
    const accessToken = await sdkToken();
    sim.injectFault({ code: 'system.busy' }, { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' });
    const request = { robotCode: DEV_APP.robotCode, userIds: ['user-1'], msgKey: 'sampleText', msgParam: '{"content":"hi"}' };
    const busy = await sdkError(send(accessToken, request));
    expect(busy).toMatchObject({ code: 'system.busy', data: { statusCode: 429 } });
    const qps = await sdkError(send(accessToken, request));
    expect(qps).toMatchObject({ code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', data: { statusCode: 403 } });
  });
});
