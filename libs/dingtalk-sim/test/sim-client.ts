import { DEV_APP, type DingTalkSimulator, type SimAppConfig } from '../src/index.js';

/** A raw HTTP answer: tests assert on status, headers and the exact JSON DingTalk would send. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const res = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return request(url, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function requestToken(sim: DingTalkSimulator, app: Pick<SimAppConfig, 'appKey' | 'appSecret'> = DEV_APP): Promise<RawResponse> {
  return postJson(`${sim.url}/v1.0/oauth2/accessToken`, { appKey: app.appKey, appSecret: app.appSecret });
}

export async function token(sim: DingTalkSimulator, app: Pick<SimAppConfig, 'appKey' | 'appSecret'> = DEV_APP): Promise<string> {
  const res = await requestToken(sim, app);
  if (res.status !== 200) throw new Error(`token request failed: ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

export interface SendBody {
  robotCode?: unknown;
  userIds?: unknown;
  msgKey?: unknown;
  msgParam?: unknown;
}

export function batchSend(sim: DingTalkSimulator, accessToken: string, body: SendBody): Promise<RawResponse> {
  return postJson(`${sim.url}/v1.0/robot/oToMessages/batchSend`, body, { 'x-acs-dingtalk-access-token': accessToken });
}

/** A valid sampleText send to `userIds` from the dev robot. */
export function textSend(userIds: string[], content = 'hello'): SendBody {
  return { robotCode: DEV_APP.robotCode, userIds, msgKey: 'sampleText', msgParam: JSON.stringify({ content }) };
}

export const UUID_RE = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
