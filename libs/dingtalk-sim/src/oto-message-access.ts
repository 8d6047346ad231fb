import { ACCESS_TOKEN_HEADER } from './batch-send.handler.js';
import { dingTalkError } from './dingtalk-error.js';
import { type SimRequest } from './http-io.js';
import { type LedgerCall } from './ledger.js';
import { type SimulatorState } from './simulator-state.js';

/** The appKey behind the request's token; `InvalidAuthentication` otherwise (spec §1.1). */
export function authenticateApp(req: SimRequest, state: SimulatorState): string {
  const raw = req.headers[ACCESS_TOKEN_HEADER];
  const token = Array.isArray(raw) ? raw[0] : raw;
  const appKey = token ? state.tokens.resolve(token) : undefined;
  if (appKey === undefined || !state.appsByKey.has(appKey)) throw dingTalkError('InvalidAuthentication');
  return appKey;
}

/**
 * How old a message is as readStatus and batchRecall judge it: the clock, plus the configured offset, plus any age a
 * test gave this message.
 */
export function messageAgeMs(state: SimulatorState, call: LedgerCall): number {
  const aged = state.messages.get(call.processQueryKey)?.agedMs ?? 0;
  return state.now() + state.settings.readRecall.clockOffsetMs + aged - Date.parse(call.acceptedAt);
}
