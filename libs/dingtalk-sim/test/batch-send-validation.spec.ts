import { DEV_APP, startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';
import { batchSend, request, textSend, token, type SendBody } from './sim-client.js';

const OTHER_APP = { appKey: 'other-dev-app', appSecret: 'other-dev-secret', robotCode: 'other-dev-robot' };

describe('POST /v1.0/robot/oToMessages/batchSend validation', () => {
  let sim: DingTalkSimulator;
  let accessToken: string;

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ apps: [DEV_APP, OTHER_APP] });
    accessToken = await token(sim);
  });
  afterAll(() => sim.close());

  async function expectCode(body: SendBody, code: string): Promise<void> {
    const res = await batchSend(sim, accessToken, body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
    expect(typeof res.body.message).toBe('string');
  }

  describe('authentication', () => {
    it.each([
      ['missing', undefined],
      ['unknown', 'f'.repeat(32)],
      // The official PHP SDK once sent the token JSON-quoted; DingTalk treats that as an unknown token.
      ['JSON-quoted', 'QUOTED'],
    ])('rejects a %s token with 400 InvalidAuthentication', async (_name, value) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (value !== undefined) headers['x-acs-dingtalk-access-token'] = value === 'QUOTED' ? JSON.stringify(accessToken) : value;
      const res = await request(`${sim.url}/v1.0/robot/oToMessages/batchSend`, { headers, body: JSON.stringify(textSend(['user-1'])) });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'InvalidAuthentication', message: '不合法的access_token' });
    });

    it('checks the token before the body', async () => {
      const res = await request(`${sim.url}/v1.0/robot/oToMessages/batchSend`, { body: 'not json' });
      expect(res.body.code).toBe('InvalidAuthentication');
    });
  });

  describe('body and robot', () => {
    it('rejects a body that is not a JSON object with invalidParameter.msgBody.invalid', async () => {
      for (const body of ['not json', '[1,2]', '"text"', '']) {
        const res = await request(`${sim.url}/v1.0/robot/oToMessages/batchSend`, {
          headers: { 'x-acs-dingtalk-access-token': accessToken, 'content-type': 'application/json' },
          body,
        });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalidParameter.msgBody.invalid' });
      }
    });

    it.each([undefined, '', '   ', 42])('rejects robotCode %p with invalidParameter.robotCode.empty', async (robotCode) => {
      await expectCode({ ...textSend(['user-1']), robotCode }, 'invalidParameter.robotCode.empty');
    });

    it('rejects an unknown robot with invalidParameter.robotCode.notExsit (sic)', async () => {
      await expectCode({ ...textSend(['user-1']), robotCode: 'no-such-robot' }, 'invalidParameter.robotCode.notExsit');
    });

    it("rejects another app's robot with invalidParameter.robotCode.invalid", async () => {
      await expectCode({ ...textSend(['user-1']), robotCode: OTHER_APP.robotCode }, 'invalidParameter.robotCode.invalid');
      const otherToken = await token(sim, OTHER_APP);
      const ok = await batchSend(sim, otherToken, { ...textSend(['user-1']), robotCode: OTHER_APP.robotCode });
      expect(ok.status).toBe(200);
    });
  });

  describe('userIds', () => {
    it.each([undefined, [], 'user-1'])('rejects userIds %p with invalidParameter.userIds.empty', async (userIds) => {
      await expectCode({ ...textSend([]), userIds }, 'invalidParameter.userIds.empty');
    });

    it('accepts 20 userIds and rejects 21 with invalidParameter.userIds.overMax', async () => {
      const ids = Array.from({ length: 21 }, (_, i) => `user-${i}`);
      expect((await batchSend(sim, accessToken, textSend(ids.slice(0, 20)))).status).toBe(200);
      await expectCode(textSend(ids), 'invalidParameter.userIds.overMax');
    });

    it.each([[['user-1', '']], [['user-1', 7]], [[null]]])('rejects a blank or non-string userId %p with invalidParameter.userId.empty', async (userIds) => {
      await expectCode({ ...textSend([]), userIds }, 'invalidParameter.userId.empty');
    });
  });

  describe('msgKey and msgParam', () => {
    it.each([undefined, '', 3])('rejects msgKey %p with invalidParameter.msgKey.empty', async (msgKey) => {
      await expectCode({ ...textSend(['user-1']), msgKey }, 'invalidParameter.msgKey.empty');
    });

    it.each(['sampleFeedCard', 'sampletext', 'text'])('rejects unknown msgKey %p with invalidParameter.msgKey.invalid', async (msgKey) => {
      await expectCode({ ...textSend(['user-1']), msgKey }, 'invalidParameter.msgKey.invalid');
    });

    it.each([
      ['missing', undefined],
      ['an object instead of a string', { content: 'hi' }],
      ['not JSON', '{content: hi}'],
      ['a JSON array', '["hi"]'],
      ['a JSON number', '42'],
    ])('rejects msgParam that is %s with invalidParameter.msgParam.invalid', async (_name, msgParam) => {
      await expectCode({ ...textSend(['user-1']), msgParam }, 'invalidParameter.msgParam.invalid');
    });

    it('counts the msgParam limit in UTF-8 bytes: invalidParameter.msgParam.tooLong above it', async () => {
      sim.configure({ maxMsgParamBytes: 200 });
      const fits = JSON.stringify({ content: 'x'.repeat(200 - 14) }); // exactly 200 bytes
      expect(Buffer.byteLength(fits)).toBe(200);
      expect((await batchSend(sim, accessToken, { ...textSend(['user-1']), msgParam: fits })).status).toBe(200);
      // 67 three-byte characters: under 200 characters, over 200 bytes.
      const multiByte = JSON.stringify({ content: '钉'.repeat(67) });
      expect(multiByte.length).toBeLessThan(200);
      await expectCode({ ...textSend(['user-1']), msgParam: multiByte }, 'invalidParameter.msgParam.tooLong');
      sim.configure({ maxMsgParamBytes: 15000 });
    });

    it('defaults to a 15000-byte msgParam limit', async () => {
      const at = (n: number): string => JSON.stringify({ content: 'x'.repeat(n - 14) });
      expect((await batchSend(sim, accessToken, { ...textSend(['user-1']), msgParam: at(15000) })).status).toBe(200);
      await expectCode({ ...textSend(['user-1']), msgParam: at(15001) }, 'invalidParameter.msgParam.tooLong');
    });
  });

  describe('missing msgParam fields → miss.param.*', () => {
    const send = (msgKey: string, param: Record<string, string>): SendBody => ({
      robotCode: DEV_APP.robotCode,
      userIds: ['user-1'],
      msgKey,
      msgParam: JSON.stringify(param),
    });
    const card = { title: 't', text: 'x' };
    const buttons = (n: number, skip?: string): Record<string, string> => {
      const out: Record<string, string> = {};
      for (let i = 1; i <= n; i++) {
        out[`actionTitle${i}`] = `b${i}`;
        out[`actionURL${i}`] = `https://example.com/${i}`;
      }
      if (skip) delete out[skip];
      return out;
    };
    const cases: Array<[string, Record<string, string>, string]> = [
      ['sampleText', {}, 'miss.param.contentOfText'],
      ['sampleText', { content: '  ' }, 'miss.param.contentOfText'],
      ['sampleMarkdown', { text: 'x' }, 'miss.param.markdownTotitle'],
      ['sampleMarkdown', { title: 't' }, 'miss.param.markdownTotext'],
      ['sampleImageMsg', {}, 'miss.param.photoTophotoUrl'],
      // Field names are exact: photoUrl is not photoURL.
      ['sampleImageMsg', { photoUrl: 'https://example.com/a.png' }, 'miss.param.photoTophotoUrl'],
      ['sampleLink', { title: 't', messageUrl: 'https://example.com' }, 'miss.param.textOfLink'],
      ['sampleLink', { text: 'x', messageUrl: 'https://example.com' }, 'miss.param.titleOfLink'],
      ['sampleLink', { text: 'x', title: 't' }, 'miss.param.messageUrlOfLink'],
      ['sampleActionCard', { text: 'x', singleTitle: 's', singleURL: 'https://example.com' }, 'miss.param.actionCardTotitle'],
      ['sampleActionCard', { title: 't', singleTitle: 's', singleURL: 'https://example.com' }, 'miss.param.actionCardTotext'],
      ['sampleActionCard', { ...card, singleURL: 'https://example.com' }, 'miss.param.actionCardTosingleTitle'],
      ['sampleActionCard', { ...card, singleTitle: 's' }, 'miss.param.actionCardTosingleUrl'],
      ['sampleActionCard2', { ...buttons(2), text: 'x' }, 'miss.param.actionCardTotitle'],
      ['sampleActionCard2', { ...card, ...buttons(2, 'actionTitle2') }, 'miss.param.actionCardTobtnsTotitle'],
      ['sampleActionCard3', { ...card, ...buttons(3, 'actionURL3') }, 'miss.param.actionCardTobtnsToactionUrl'],
      ['sampleActionCard4', { ...card, ...buttons(3) }, 'miss.param.actionCardTobtnsTotitle'],
      ['sampleActionCard5', { ...card, ...buttons(5, 'actionURL1') }, 'miss.param.actionCardTobtnsToactionUrl'],
      ['sampleActionCard6', { ...card, ...buttons(2) }, 'miss.param.actionCardTobtnsTotitle'],
      ['sampleActionCard6', { ...card, buttonTitle1: 'a', buttonUrl1: 'u', buttonTitle2: 'b' }, 'miss.param.actionCardTobtnsToactionUrl'],
      ['sampleAudio', { duration: '1000' }, 'miss.param.audio'],
      ['sampleAudio', { mediaId: '@m' }, 'miss.param.audio'],
      ['sampleFile', { mediaId: '@m', fileName: 'a.pdf' }, 'miss.param.file'],
      ['sampleVideo', { duration: '10', videoType: 'mp4', picMediaId: '@p' }, 'miss.param.video'],
      ['sampleVideo', { duration: '10', videoMediaId: '@v', videoType: 'mp4' }, 'miss.param.video'],
    ];
    it.each(cases)('%s with %j → %s', async (msgKey, param, code) => {
      await expectCode(send(msgKey, param), code);
    });

    const complete: Array<[string, Record<string, string>]> = [
      ['sampleText', { content: 'hi' }],
      ['sampleMarkdown', { title: 't', text: '# x' }],
      ['sampleImageMsg', { photoURL: '@lADO' }],
      ['sampleLink', { text: 'x', title: 't', messageUrl: 'https://example.com' }],
      ['sampleActionCard', { ...card, singleTitle: 's', singleURL: 'https://example.com' }],
      ['sampleActionCard2', { ...card, ...buttons(2) }],
      ['sampleActionCard3', { ...card, ...buttons(3) }],
      ['sampleActionCard4', { ...card, ...buttons(4) }],
      ['sampleActionCard5', { ...card, ...buttons(5) }],
      ['sampleActionCard6', { ...card, buttonTitle1: 'a', buttonUrl1: 'u1', buttonTitle2: 'b', buttonUrl2: 'u2' }],
      ['sampleAudio', { mediaId: '@m', duration: '3000' }],
      ['sampleFile', { mediaId: '@m', fileName: 'a.pdf', fileType: 'pdf' }],
      ['sampleVideo', { duration: '10', videoMediaId: '@v', videoType: 'mp4', picMediaId: '@p' }],
    ];
    it.each(complete)('accepts a complete %s', async (msgKey, param) => {
      const res = await batchSend(sim, accessToken, send(msgKey, param));
      expect(res.status).toBe(200);
      expect(sim.ledger.call(res.body.processQueryKey as string)?.msgKey).toBe(msgKey);
    });
  });

  it('counts every rejection by code in stats', async () => {
    const before = sim.stats().errorsByCode['invalidParameter.msgKey.invalid'] ?? 0;
    await expectCode({ ...textSend(['user-1']), msgKey: 'nope' }, 'invalidParameter.msgKey.invalid');
    expect(sim.stats().errorsByCode['invalidParameter.msgKey.invalid']).toBe(before + 1);
  });
});
