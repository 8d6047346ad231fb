import { dingTalkError } from './dingtalk-error.js';
import { answerFault } from './fault-outcome.js';
import { type SimRequest, type SimResult } from './http-io.js';
import { stableShare } from './message-state-store.js';
import { authenticateApp } from './app-authentication.js';
import { messageAgeMs } from './oto-message-access.js';
import { type SimulatorState } from './simulator-state.js';

/**
 * `GET /v1.0/robot/oToMessages/readStatus` (spec §4): which of a batchSend's delivered users have read it. Within
 * `notReadyMs` of sending and past the window the answer is `processQueryKey.expireTime` — DingTalk uses the one code
 * for "not generated yet" and "expired". After a recall, `sendStatus` is `RECALLED` (transition INFERRED, spec §5).
 */
export function handleReadStatus(req: SimRequest, state: SimulatorState): SimResult {
  const appKey = authenticateApp(req, state);
  const call = { api: 'readStatus' as const, appKey };
  const before = state.faults.beforeCall(call);
  if (before) return answerFault(before);

  const robotCode = req.query.get('robotCode');
  if (robotCode === null) throw dingTalkError('invalidParameter.robotCode.missing');
  if (robotCode.trim() === '') throw dingTalkError('invalidParameter.robotCode.empty');
  const owner = state.appsByRobot.get(robotCode);
  if (!owner) throw dingTalkError('invalidParameter.robotCode.notExsit');
  if (owner.appKey !== appKey) throw dingTalkError('invalidParameter.robotCode.invalid');
  // URLSearchParams has already decoded the percent-encoding a correct client applies to `+ / =`; a client that
  // forgot it sends a raw `+`, which decodes to a space and so names no message.
  const processQueryKey = req.query.get('processQueryKey');
  if (processQueryKey === null || processQueryKey === '') throw dingTalkError('invalidParameter.processQueryKey.missing');
  const message = state.ledger.call(processQueryKey);
  // A key of another robot is as unknown to this robot as a made-up one (INFERRED: §4 lists no dedicated code).
  if (!message || message.robotCode !== robotCode) throw dingTalkError('invalid.processQueryKey');

  const settings = state.settings.readRecall;
  const age = messageAgeMs(state, message);
  const at = new Date(state.now()).toISOString();
  if (age < settings.notReadyMs || age >= settings.windowMs) {
    state.messages.logReadStatus({ processQueryKey, outcome: 'processQueryKey.expireTime', readUsers: 0, at });
    throw dingTalkError('processQueryKey.expireTime');
  }

  const stored = state.messages.get(processQueryKey);
  const acceptedAtMs = Date.parse(message.acceptedAt);
  const processing = age < settings.processingMs && stored?.recalledAtMs === undefined;
  const readAt = (userId: string): number | undefined => {
    if (processing) return undefined;
    const marked = stored?.marked.get(userId);
    if (marked !== undefined) return marked;
    if (settings.readAfterMs === null || age < settings.readAfterMs) return undefined;
    if (settings.readFraction < 1 && stableShare(processQueryKey, userId) >= settings.readFraction) return undefined;
    return acceptedAtMs + settings.readAfterMs;
  };
  const messageReadInfoList = message.delivered.map((userId) => {
    const at = readAt(userId);
    const info: Record<string, unknown> = { name: userId, userId, readStatus: at === undefined ? 'UNREAD' : 'READ' };
    if (at !== undefined && settings.readTimestamps) info.readTimestamp = at;
    return info;
  });
  const sendStatus =
    stored?.recalledAtMs !== undefined ? 'RECALLED' : processing ? 'PROCESSING' : settings.sucessTypo ? 'SUCESS' : 'SUCCESS';
  const readUsers = messageReadInfoList.filter((i) => i.readStatus === 'READ').length;
  state.messages.logReadStatus({ processQueryKey, outcome: sendStatus, readUsers, at });

  const after = state.faults.afterSideEffect(call);
  if (after) return answerFault(after);
  return { status: 200, body: { sendStatus, messageReadInfoList } };
}
