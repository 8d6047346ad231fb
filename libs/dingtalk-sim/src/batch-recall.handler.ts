import { dingTalkError } from './dingtalk-error.js';
import { answerFault } from './fault-outcome.js';
import { isPlainObject, parseJsonBody, type SimRequest, type SimResult } from './http-io.js';
import { authenticateApp } from './app-authentication.js';
import { messageAgeMs } from './oto-message-access.js';
import { type SimulatorState } from './simulator-state.js';

/**
 * `POST /v1.0/robot/otoMessages/batchRecall` (spec §5). Call-level refusals (unknown key, another robot's message,
 * past the window) fail the whole call, as the documented codes suggest; configured per-key failures come back in
 * `failedResult`. Recalling an already recalled message succeeds again (INFERRED), so a retried call is harmless.
 */
export function handleBatchRecall(req: SimRequest, state: SimulatorState): SimResult {
  const appKey = authenticateApp(req, state);
  const call = { api: 'batchRecall' as const, appKey };
  const before = state.faults.beforeCall(call);
  if (before) return answerFault(before);

  const body = parseJsonBody(req.body);
  if (!isPlainObject(body)) throw dingTalkError('invalidParameter.param.invalid');
  const { robotCode, processQueryKeys } = body;
  if (typeof robotCode !== 'string' || robotCode.trim() === '') throw dingTalkError('invalidParameter.param.invalid');
  const owner = state.appsByRobot.get(robotCode);
  if (!owner || owner.appKey !== appKey) throw dingTalkError('invalidParameter.robotCode');
  if (!Array.isArray(processQueryKeys) || processQueryKeys.length === 0) {
    throw dingTalkError('invalidParameter.processQueryKey.missing');
  }
  const settings = state.settings.readRecall;
  if (processQueryKeys.length > settings.maxRecallKeys) throw dingTalkError('invalidParameter.processQueryKeys.overMax');
  if (processQueryKeys.some((k) => typeof k !== 'string' || k === '')) throw dingTalkError('invalidParameter.processQueryKey.missing');
  const keys = [...new Set(processQueryKeys as string[])];

  const messages = keys.map((key) => {
    const message = state.ledger.call(key);
    if (!message) throw dingTalkError('invalid.processQueryKey');
    if (message.robotCode !== robotCode) throw dingTalkError('not.allowed.robotCode');
    if (messageAgeMs(state, message) >= settings.windowMs) throw dingTalkError('robot.processQueryKey.expired');
    return message;
  });

  const successResult: string[] = [];
  const failedResult: Record<string, string> = {};
  for (const message of messages) {
    const key = message.processQueryKey;
    const reason = state.messages.get(key)?.recallFailure ?? settings.recallFailures[key];
    if (reason !== undefined) failedResult[key] = reason;
    else {
      state.messages.recall(key, state.now());
      successResult.push(key);
    }
  }
  state.stats.keysRecalled += successResult.length;
  state.stats.keysRecallFailed += Object.keys(failedResult).length;
  state.messages.logRecall({
    appKey,
    robotCode,
    processQueryKeys: keys,
    successResult,
    failedResult,
    at: new Date(state.now()).toISOString(),
  });

  const after = state.faults.afterSideEffect(call);
  if (after) return answerFault(after);
  return { status: 200, body: { successResult, failedResult } };
}
