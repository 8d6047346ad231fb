import { dingTalkError } from './dingtalk-error.js';
import { answerFault } from './fault-outcome.js';
import { isPlainObject, parseJsonBody, type SimRequest, type SimResult } from './http-io.js';
import { type SimulatorState } from './simulator-state.js';

/**
 * `POST /v1.0/oauth2/accessToken` (spec §2.1): JSON `{appKey, appSecret}` → `{accessToken, expireIn}`.
 * A body that is not JSON (e.g. form-urlencoded) is "missing" to DingTalk's gateway → 400 `Missingbody`.
 */
export function handleAccessToken(req: SimRequest, state: SimulatorState): SimResult {
  const contentType = req.headers['content-type'];
  const body = contentType === undefined || contentType.includes('json') ? parseJsonBody(req.body) : undefined;
  if (!isPlainObject(body)) throw dingTalkError('Missingbody');
  // Gateway-style "Missing<param>" for absent fields (INFERRED from Missingbody's naming).
  if (typeof body.appKey !== 'string' || body.appKey === '') throw dingTalkError('MissingappKey');
  if (typeof body.appSecret !== 'string' || body.appSecret === '') throw dingTalkError('MissingappSecret');

  const app = state.appsByKey.get(body.appKey);
  if (!app || app.appSecret !== body.appSecret) throw dingTalkError('invalidClientIdOrSecret');

  const call = { api: 'accessToken' as const, appKey: app.appKey };
  const before = state.faults.beforeCall(call);
  if (before) return answerFault(before);

  const issued = state.tokens.issue(app.appKey, state.settings.tokenTtlSeconds);
  if (issued.renewed) state.stats.tokensRenewed++;
  else state.stats.tokensIssued++;
  state.stats.tokensByApp.set(app.appKey, (state.stats.tokensByApp.get(app.appKey) ?? 0) + 1);

  const after = state.faults.afterSideEffect(call);
  if (after) return answerFault(after);
  return { status: 200, body: { accessToken: issued.accessToken, expireIn: issued.expireIn } };
}
