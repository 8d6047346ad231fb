import { dingTalkError } from './dingtalk-error.js';
import { type SimRequest } from './http-io.js';
import { type SimulatorState } from './simulator-state.js';

export const ACCESS_TOKEN_HEADER = 'x-acs-dingtalk-access-token';

/** The appKey behind the request's token; `InvalidAuthentication` otherwise (spec §1.1), as every robot API answers. */
export function authenticateApp(req: SimRequest, state: SimulatorState): string {
  const raw = req.headers[ACCESS_TOKEN_HEADER];
  const token = Array.isArray(raw) ? raw[0] : raw;
  // A JSON-quoted token ("\"abc\"") is just an unknown token, as observed on real DingTalk (spec §1.1).
  const appKey = token ? state.tokens.resolve(token) : undefined;
  if (appKey === undefined || !state.appsByKey.has(appKey)) throw dingTalkError('InvalidAuthentication');
  return appKey;
}
