/**
 * An error DingTalk answers with: HTTP status plus the `{code, message, requestid}` envelope.
 * Handlers throw it; the server turns it into the envelope, so every error path shares one shape.
 */
export class DingTalkError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Set when a fault switch produced this error rather than the request itself. */
    readonly injected = false,
  ) {
    super(message);
    this.name = 'DingTalkError';
  }
}

interface CatalogEntry {
  status: number;
  message: string;
}

/**
 * Status and message per code. DingTalk documents the message column as `%s` (free text), so messages follow the
 * doc's descriptions (seed 003) or observed responses; clients must key on `code`, never on `message`.
 */
const CATALOG: Record<string, CatalogEntry> = {
  // Gateway / auth (spec §1.1)
  'InvalidAction.NotFound': { status: 404, message: 'Specified api is not found, please check your url and method.' },
  InvalidAuthentication: { status: 400, message: '不合法的access_token' },
  Missingbody: { status: 400, message: 'body is mandatory for this action.' },
  MissingappKey: { status: 400, message: 'appKey is mandatory for this action.' },
  MissingappSecret: { status: 400, message: 'appSecret is mandatory for this action.' },
  invalidClientIdOrSecret: { status: 400, message: '无效的clientId或者clientSecret' },
  'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi': { status: 403, message: '应用调用该接口超过QPS限流,请降低调用频率' },
  // Status of the monthly-quota error is UNCONFIRMED (spec §1.1); 403 like its sibling Forbidden.* codes.
  'Forbidden.AccessDenied.ApiCountLimitForOrg': { status: 403, message: '企业调用开放平台接口的月度总次数已超限' },
  'system.busy': { status: 429, message: '系统繁忙,请稍后重试' },
  'system.error': { status: 500, message: '未知的系统错误' },
  // batchSend parameters (spec §3.4, seed 003)
  'invalidParameter.robotCode.empty': { status: 400, message: '机器人robotCode无效' },
  'invalidParameter.robotCode.notExsit': { status: 400, message: '机器人不存在,请检查企业内是否安装了robotCode对应的机器人' },
  'invalidParameter.robotCode.invalid': { status: 400, message: '无效的robotCode' },
  'invalidParameter.userIds.empty': { status: 400, message: '用户userId列表为空' },
  'invalidParameter.userIds.overMax': { status: 400, message: '用户userId列表超过最大限制' },
  'invalidParameter.userId.empty': { status: 400, message: '缺少staffId' },
  'invalidParameter.msgKey.empty': { status: 400, message: 'msgKey为空' },
  'invalidParameter.msgKey.invalid': { status: 400, message: 'msgKey无效,请传入正确的msgKey' },
  'invalidParameter.msgParam.invalid': { status: 400, message: 'msgParam格式非法,必须是json格式' },
  'invalidParameter.msgParam.tooLong': { status: 400, message: '消息内容太长,请缩减内容长度' },
  'invalidParameter.msgBody.invalid': { status: 400, message: '消息体必须是JSON格式' },
  'invalidParameter.param.invalid': { status: 400, message: '参数不合法,请检查是否有参数为空' },
  'send.too.fast': { status: 400, message: '发送消息频率过快,请稍后再试' },
  'send.byToken.tooFast': { status: 400, message: '用TOKEN发送限流错误,请稍后再试' },
  'too.many.people': { status: 400, message: '发送频繁限流' },
  'too.many.group': { status: 400, message: '发送频繁限流' },
  // Quick entries (spec §6, seeds 000/001); the doc's own spelling of jsonFormatErroj is kept.
  'param.illegal': { status: 400, message: '参数错误' },
  'invalidRequest.robotCodeNotMatch': { status: 400, message: '应用与绑定机器人的robotCode不匹配' },
  'invalidRequest.robotNotExist': { status: 400, message: '机器人不存在,请核实后添加' },
  'invalidRequest.robotIsStop': { status: 400, message: '机器人已被企业停用' },
  'invalidRequest.exceededMaximumLimit': { status: 400, message: '插件数量超过最大限制' },
  'invalidRequest.jsonFormatErroj': { status: 400, message: 'JSON格式错误' },
  'invalidRequest.pluginInstallFail': { status: 500, message: '插件安装失败' },
  // readStatus (spec §4) and batchRecall (spec §5)
  'invalidParameter.robotCode.missing': { status: 400, message: '缺少robotCode参数' },
  'invalidParameter.processQueryKey.missing': { status: 400, message: '缺少processQueryKey参数' },
  'invalid.processQueryKey': { status: 400, message: '无效的processQueryKey' },
  'processQueryKey.expireTime': { status: 400, message: '查询数据未生成或已过期' },
  'invalidParameter.robotCode': { status: 400, message: '机器人不存在或未安装' },
  'invalidParameter.processQueryKeys.overMax': { status: 400, message: 'processQueryKeys超过最大限制20,请分批次调用' },
  'not.allowed.robotCode': { status: 400, message: '消息不是该机器人发送的' },
  'robot.processQueryKey.expired': { status: 400, message: '消息发送已超过24小时,无法撤回' },
  // Content: missing msgParam fields (seed 003 descriptions; markdownTotitle's doc row says "text", a copy slip)
  'miss.param.contentOfText': { status: 400, message: '消息内容不合法,需要text->content属性' },
  'miss.param.markdownTotitle': { status: 400, message: '消息内容不合法,需要markdown->title属性' },
  'miss.param.markdownTotext': { status: 400, message: '消息内容不合法,需要markdown->text属性' },
  'miss.param.photoTophotoUrl': { status: 400, message: '消息内容不合法,需要photo->photoURL属性' },
  'miss.param.textOfLink': { status: 400, message: '消息内容不合法,需要link->text属性' },
  'miss.param.titleOfLink': { status: 400, message: '消息内容不合法,需要link->title属性' },
  'miss.param.messageUrlOfLink': { status: 400, message: '消息内容不合法,需要link->messageUrl属性' },
  'miss.param.actionCardTotitle': { status: 400, message: '消息内容不合法,需要actionCard->title属性' },
  'miss.param.actionCardTotext': { status: 400, message: '消息内容不合法,需要actionCard->text属性' },
  'miss.param.actionCardTosingleTitle': { status: 400, message: '消息内容不合法,需要actionCard->singleTitle属性' },
  'miss.param.actionCardTosingleUrl': { status: 400, message: '消息内容不合法,需要actionCard->singleURL属性' },
  'miss.param.actionCardTobtnsTotitle': { status: 400, message: '消息内容不合法,需要actionCard->btns->title属性' },
  'miss.param.actionCardTobtnsToactionUrl': { status: 400, message: '消息内容不合法,需要actionCard->btns->actionURL属性' },
  'miss.param.file': { status: 400, message: '消息内容不合法,需要file属性' },
  'miss.param.video': { status: 400, message: '消息内容不合法,需要video->videoMediaId属性' },
  'miss.param.audio': { status: 400, message: '消息内容不合法,需要audio属性' },
};

/** Builds the error for a catalogued code; unknown codes (e.g. scripted faults) default to HTTP 400. */
export function dingTalkError(code: string, message?: string, status?: number, injected = false): DingTalkError {
  const entry = CATALOG[code];
  return new DingTalkError(status ?? entry?.status ?? 400, code, message ?? entry?.message ?? code, injected);
}

/** Default HTTP status DingTalk uses for a code, or undefined when the code is not catalogued. */
export function statusOfCode(code: string): number | undefined {
  return CATALOG[code]?.status;
}
