import { DeliveryPolicy } from '@dingrelay/contracts';
import {
  classifyDingTalkError,
  IP_BLOCKED_CODE,
  isRetryable,
  minRetryDelayMs,
  RETRY_CLASSES,
  RetryClass,
  retryAdvice,
  retryDelayMs,
} from './retry-class.js';

type Row = [httpStatus: number, code: string | undefined, expected: RetryClass];

const { QpsThrottle, RateLimited, Auth, Transient, QuotaExhausted, IpBlocked, Permanent } = RetryClass;

// Spec §1.1 (v1.0 generic errors, legacy errcodes) and §2 (token endpoints).
const SECTION_1_AND_2: Row[] = [
  [400, 'InvalidAuthentication', Auth],
  [401, 'InvalidAuthentication', Auth],
  [400, 'accesstoken.expired', Auth],
  [401, undefined, Auth],
  [401, 'Unauthorized', Auth],
  [401, 'authFailed', Auth],
  [403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', Permanent],
  [403, 'Forbidden.AccessDenied.IpNotInWhiteList', Permanent],
  [403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', QpsThrottle],
  [403, 'Forbidden.AccessDenied.QpsLimitForApi', QpsThrottle],
  [403, 'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', QpsThrottle],
  [403, 'Forbidden.AccessDenied.QpsLimitForSuitekeyAndOrgAndApi', QpsThrottle],
  [403, 'Forbidden.AccessDenied.QpmLimitForSuitekeyAndOrgAndApi', QpsThrottle],
  // Its HTTP status is unconfirmed: the code decides.
  [403, 'Forbidden.AccessDenied.ApiCountLimitForOrg', QuotaExhausted],
  [400, 'Forbidden.AccessDenied.ApiCountLimitForOrg', QuotaExhausted],
  [429, 'Forbidden.AccessDenied.ApiCountLimitForOrg', QuotaExhausted],
  [429, 'system.busy', Transient],
  [429, 'systemBusy', Transient],
  [429, undefined, Transient],
  [400, 'Missingbody', Permanent],
  [500, 'system.error', Transient],
  [400, 'system.error', Transient],
  [200, '40001', Auth],
  [200, '40014', Auth],
  [200, '42001', Auth],
  [200, '40089', Permanent],
  [200, '88', Permanent],
  [200, '90002', QpsThrottle],
  [200, '90018', QpsThrottle],
  [200, '90020', QuotaExhausted],
  [400, 'invalidClientIdOrSecret', Permanent],
  [400, 'invalid.client', Permanent],
  [400, 'unsupported.grant.type', Permanent],
  [401, 'unauthorized.client', Permanent],
  [500, 'server.error', Transient],
];

// Spec §3.4 (batchSend), every code of every category, all HTTP 400 unless noted.
const BATCH_SEND_PERMANENT_CODES = [
  'invalidParameter.robotCode.empty',
  'invalidParameter.userIds.empty',
  'invalidParameter.userIds.overMax',
  'invalidParameter.msgKey.empty',
  'invalidParameter.msgKey.invalid',
  'invalidParameter.msgParam.invalid',
  'invalidParameter.param.invalid',
  'invalidParameter.msg.unsupport',
  'invalidParameter.msgParam.tooLong',
  'invalidParameter.msgBody.invalid',
  'invalidParameter.userId.empty',
  'sendMessage.model.notMatch',
  'invalidParameter.robotCode.notExsit',
  'invalidParameter.robotCode.invalid',
  'invalidParameter.token.invalid',
  'template.not.existed',
  'template.stopped',
  'send.forbidden',
  'chatbotId.notAllow.sendOTO',
  'robot.oto.notExist',
  'bot.forbidden.sendMessage',
  'miss.param.text',
  'miss.param.contentOfText',
  'miss.param.link',
  'miss.param.textOfLink',
  'miss.param.titleOfLink',
  'miss.param.messageUrlOfLink',
  'miss.param.markdown',
  'miss.param.markdownTotitle',
  'miss.param.markdownTotext',
  'miss.param.actionCard',
  'miss.param.actionCardTotitle',
  'miss.param.actionCardTotext',
  'miss.param.actionCardTosingleTitle',
  'miss.param.actionCardTosingleUrl',
  'miss.param.actionCardTobtns',
  'miss.param.actionCardTobtnsTotitle',
  'miss.param.actionCardTobtnsToactionUrl',
  'invalid.param.actionCardTobtnOrientation',
  'invalid.param.actionCardTocanForward',
  'miss.param.feedCard',
  'miss.param.feedCardTolinks',
  'miss.param.feedCardTolinksTotitle',
  'miss.param.feedCardTolinksTomessageUrl',
  'miss.param.feedCardTolinksTopicUrl',
  'miss.param.photo',
  'miss.param.photoTophotoUrl',
  'miss.param.image',
  'miss.param.imageTopicUrl',
  'miss.param.beautifulCard',
  'miss.param.beautifulCardToimage',
  'miss.param.beautifulCardTotitle',
  'miss.param.beautifulCardToactionUrl',
  'miss.param.beautifulCardTointroduction',
  'miss.param.file',
  'miss.param.video',
  'miss.param.audio',
  'contain.unsafe.url',
  'contain.notAllowed.text',
  'contain.notAllowed.picture',
  'contain.notAllowed.content',
  'receivers.exceed',
  'ip.not.match',
  'keywords.not.match',
  'sign.not.match',
  'illegal.receivers',
  'illegal.excludes',
  'session.notExisted',
  'session.expired',
  'staffId.notExisted',
];
const SECTION_3: Row[] = [
  ...BATCH_SEND_PERMANENT_CODES.map((code): Row => [400, code, Permanent]),
  [400, 'token.notExisted', Auth],
  [400, 'send.byToken.tooFast', RateLimited],
  [400, 'send.too.fast', RateLimited],
  [400, 'too.many.group', RateLimited],
  [400, 'too.many.people', RateLimited],
  [500, 'system.error', Transient],
];

// Spec §4–§6 (readStatus, batchRecall, plugins): business codes are permanent, 500s transient.
const SECTIONS_4_TO_6: Row[] = [
  ...[
    'invalidParameter.robotCode.missing',
    'invalidParameter.processQueryKey.missing',
    'invalid.processQueryKey',
    'processQueryKey.expireTime',
    'unknown.send.result',
    'invalidParameter.robotCode',
    'invalidParameter.processQueryKeys.overMax',
    'not.allowed.robotCode',
    'robot.processQueryKey.expired',
    'notRevoke.all.messages',
    'param.illegal',
    'invalidRequest.robotCodeNotMatch',
    'invalidRequest.robotNotExist',
    'invalidRequest.robotIsStop',
    'invalidRequest.exceededMaximumLimit',
    'invalidRequest.jsonFormatErroj',
  ].map((code): Row => [400, code, Permanent]),
  [500, 'invalidRequest.pluginInstallFail', Transient],
];

// Spec §8 (rate limits, quotas, IP block).
const SECTION_8: Row[] = [
  [403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', QpsThrottle],
  [403, 'Forbidden.AccessDenied.QpsLimitForApi', QpsThrottle],
  [200, IP_BLOCKED_CODE, IpBlocked],
  [403, IP_BLOCKED_CODE, IpBlocked],
  [403, 'Forbidden.AccessDenied.ApiCountLimitForOrg', QuotaExhausted],
  [429, 'system.busy', Transient],
  [400, 'toomuch.msg', RateLimited],
];

// No code at all: the status alone decides.
const NO_CODE: Row[] = [
  [400, undefined, Permanent],
  [403, undefined, Permanent],
  [404, undefined, Permanent],
  [408, undefined, Transient],
  [500, undefined, Transient],
  [502, undefined, Transient],
  [503, undefined, Transient],
  [504, undefined, Transient],
  [503, 'someNewCode', Transient],
  [401, 'someNewCode', Auth],
  [400, 'someNewCode', Permanent],
];

describe('classifyDingTalkError', () => {
  it.each([...SECTION_1_AND_2, ...SECTION_3, ...SECTIONS_4_TO_6, ...SECTION_8, ...NO_CODE])(
    'HTTP %i %s → %s',
    (status, code, expected) => {
      expect(classifyDingTalkError(status, code)).toBe(expected);
    },
  );

  it('treats a null code like an absent one', () => {
    expect(classifyDingTalkError(502, null)).toBe(Transient);
    expect(classifyDingTalkError(400, null)).toBe(Permanent);
  });
});

describe('retry advice', () => {
  it('knows every class', () => {
    expect(RETRY_CLASSES).toEqual(
      expect.arrayContaining(['qps-throttle', 'rate-limited', 'auth', 'transient', 'ambiguous', 'quota-exhausted', 'ip-blocked', 'permanent']),
    );
    expect(RETRY_CLASSES).toHaveLength(8);
  });

  it.each([
    [QpsThrottle, true],
    [RateLimited, true],
    [Transient, true],
    [IpBlocked, true],
    [Auth, false],
    [QuotaExhausted, false],
    [Permanent, false],
  ] as const)('%s retryable = %s whatever the delivery policy', (cls, retryable) => {
    expect(isRetryable(cls)).toBe(retryable);
    expect(isRetryable(cls, DeliveryPolicy.AtLeastOnce)).toBe(retryable);
    expect(isRetryable(cls, DeliveryPolicy.AtMostOnce)).toBe(retryable);
  });

  it('retries an ambiguous call only when the send opted into at-least-once', () => {
    expect(isRetryable(RetryClass.Ambiguous)).toBe(false);
    expect(isRetryable(RetryClass.Ambiguous, DeliveryPolicy.AtMostOnce)).toBe(false);
    expect(isRetryable(RetryClass.Ambiguous, DeliveryPolicy.AtLeastOnce)).toBe(true);
  });

  it('suggests floors from §8: 1 s for QPS, a minute for QPM, 5 min for an IP block', () => {
    expect(minRetryDelayMs(QpsThrottle, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi')).toBe(1_000);
    expect(minRetryDelayMs(QpsThrottle, 'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi')).toBe(60_000);
    expect(minRetryDelayMs(IpBlocked)).toBe(300_000);
    expect(minRetryDelayMs(RateLimited)).toBeGreaterThan(minRetryDelayMs(QpsThrottle));
    expect(retryAdvice(Permanent)).toEqual({ retryable: false, minDelayMs: 0 });
  });

  it('backs off exponentially with jitter, never below the floor nor above the cap', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const d = retryDelayMs(QpsThrottle, attempt, undefined, 30_000);
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThanOrEqual(Math.min(30_000, 1_000 * 2 ** attempt));
    }
    expect(retryDelayMs(IpBlocked, 1, undefined, 60_000)).toBe(60_000);
  });
});
