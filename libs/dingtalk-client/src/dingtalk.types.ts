import type { MsgKey, MsgParamByKey } from '@dingrelay/contracts/client';

/** An internal app's credentials (DingTalk's "Client ID" / "Client Secret"). The secret never leaves a token call. */
export interface DingTalkAppCredentials {
  appKey: string;
  appSecret: string;
}

/** `POST /v1.0/oauth2/accessToken` answer (§2.1). */
export interface AccessTokenResponse {
  accessToken: string;
  /** Lifetime in seconds (7200 in production). */
  expireIn: number;
}

/** Fields of one message template's `msgParam`; all values are strings in DingTalk's catalog (§3.3). */
export type MsgParamFields = Readonly<Record<string, string>>;

/**
 * `POST /v1.0/robot/oToMessages/batchSend` (§3.1). `msgParam` may be an object (serialized here, as DingTalk wants a
 * JSON *string*) or an already-serialized JSON object string. When `msgKey` is a literal from the contracts catalog,
 * `msgParam` is typed by it (`sampleMarkdown` needs `{title, text}`); any other string falls back to a string map.
 */
export interface BatchSendOTORequest<K extends string = string> {
  robotCode: string;
  /** 1–20 staff ids. */
  userIds: readonly string[];
  msgKey: K;
  msgParam: MsgParamFor<K> | string;
}

/** The catalog's msgParam type for a known msgKey, a string map otherwise. */
export type MsgParamFor<K extends string> = K extends MsgKey ? Readonly<MsgParamByKey[K]> : MsgParamFields;

/** batchSend's answer (§3.2); a 200 may still be a partial success. Missing lists are normalised to []. */
export interface BatchSendOTOResult {
  processQueryKey: string;
  /** Not delivered, permanently (unknown staff ids). */
  invalidStaffIdList: string[];
  /** Not delivered because of per-recipient flow control: re-send only these, later. */
  flowControlledStaffIdList: string[];
  /** Not delivered; undocumented by DingTalk, treat as permanent. */
  filteredStaffIdList: string[];
  /** From the `x-acs-request-id` header; undefined if DingTalk did not send one. */
  requestId: string | undefined;
}

/** `GET /v1.0/robot/oToMessages/readStatus` (§4). */
export interface ReadStatusRequest {
  robotCode: string;
  processQueryKey: string;
}

/** DingTalk's documented `sendStatus` values, with its `SUCESS` typo already corrected. */
export type OTOSendStatus = 'SUCCESS' | 'RECALLED' | 'PROCESSING';

export interface MessageReadInfo {
  name: string;
  userId: string;
  readStatus: 'READ' | 'UNREAD' | (string & {});
  /** Epoch ms; DingTalk documents it as "not supported yet", so it is often absent. */
  readTimestamp?: number;
}

export interface ReadStatusResult {
  /** Unknown future values are passed through unchanged. */
  sendStatus: OTOSendStatus | (string & {});
  messageReadInfoList: MessageReadInfo[];
  requestId: string | undefined;
}

/** `POST /v1.0/robot/otoMessages/batchRecall` (§5). */
export interface BatchRecallRequest {
  robotCode: string;
  /** 1–20 keys. */
  processQueryKeys: readonly string[];
}

export interface BatchRecallResult {
  successResult: string[];
  /** processQueryKey → DingTalk's reason (e.g. `SYSTEM_ERROR`). */
  failedResult: Record<string, string>;
  requestId: string | undefined;
}

/** A locale → label map, e.g. `{ zh_CN: '请假', en_US: 'Leave' }`; DingTalk wants it as a JSON string (§6.1). */
export type I18nName = Readonly<Record<string, string>>;

/** One single-chat quick entry as sent to `plugins/set`. */
export interface RobotPluginInput {
  /** i18n object (serialized here) or an already-serialized JSON object string. */
  name: I18nName | string;
  /** A mediaId from "upload media files", e.g. `@lALPDtXaDkO3j7hgYA`. */
  icon: string;
  pcUrl?: string;
  mobileUrl?: string;
}

export interface SetPluginsRequest {
  robotCode: string;
  pluginInfoList: readonly RobotPluginInput[];
}

export interface RobotCodeRequest {
  robotCode: string;
}

export type QueryPluginsRequest = RobotCodeRequest;
export type ClearPluginsRequest = RobotCodeRequest;

/** One quick entry as `plugins/query` returns it. */
export interface RobotPluginInfo {
  /** Parsed from DingTalk's JSON string; `{}` when it is not a JSON object. */
  name: Record<string, string>;
  /** The name exactly as DingTalk returned it. */
  rawName: string;
  icon: string;
  pcUrl?: string;
  mobileUrl?: string;
}

export interface QueryPluginsResult {
  pluginInfoList: RobotPluginInfo[];
  requestId: string | undefined;
}

/** `plugins/set` and `plugins/clear` answer `{"result": true}`. */
export interface PluginsMutationResult {
  result: boolean;
  requestId: string | undefined;
}

/** DingTalk's limits the client enforces before calling (§8.2). */
export const DINGTALK_LIMITS = {
  batchSendMaxUserIds: 20,
  batchRecallMaxKeys: 20,
} as const;
