import { randomBytes } from 'node:crypto';
import { authenticateApp } from './app-authentication.js';
import { dingTalkError } from './dingtalk-error.js';
import { answerFault } from './fault-outcome.js';
import { isPlainObject, parseJsonBody, type SimRequest, type SimResult } from './http-io.js';
import { messageFingerprint } from './message-fingerprint.js';
import { findMissingField, msgKeyRule } from './msg-key-rules.js';
import { type SimulatorState } from './simulator-state.js';

/**
 * `POST /v1.0/robot/oToMessages/batchSend` (spec §3): authenticate, validate in DingTalk's order, classify each
 * recipient (invalid → filtered → flow-controlled → delivered), record deliveries, answer the partial-success lists.
 */
export function handleBatchSend(req: SimRequest, state: SimulatorState): SimResult {
  const appKey = authenticateApp(req, state);
  state.stats.recordBatchSendRate(appKey);
  const call = { api: 'batchSend' as const, appKey };
  const before = state.faults.beforeCall(call);
  if (before) return answerFault(before);

  const send = validate(req, state, appKey);
  const { settings, directory, filteredUserIds, flowControl, stats } = state;

  const delivered: string[] = [];
  const invalid: string[] = [];
  const flowControlled: string[] = [];
  const filtered: string[] = [];
  const seen = new Set<string>();
  for (const userId of send.userIds) {
    // One user named twice in a call gets one message (INFERRED); counted so a sloppy sender is visible.
    if (seen.has(userId)) {
      stats.repeatedUserIdsInCall++;
      continue;
    }
    seen.add(userId);
    if (!directory.has(userId)) invalid.push(userId);
    else if (filteredUserIds.has(userId)) filtered.push(userId);
    else if (flowControl.throttles(userId)) flowControlled.push(userId);
    else delivered.push(userId);
  }

  const processQueryKey = newProcessQueryKey();
  state.ledger.record({
    processQueryKey,
    appKey,
    robotCode: send.robotCode,
    msgKey: send.msgKey,
    msgParam: send.msgParam,
    fingerprint: messageFingerprint(send.robotCode, send.msgKey, send.msgParam),
    acceptedAtMs: state.now(),
    delivered,
    invalid,
    flowControlled,
    filtered,
  });
  stats.recipients += seen.size;
  stats.delivered += delivered.length;
  stats.invalid += invalid.length;
  stats.flowControlled += flowControlled.length;
  stats.filtered += filtered.length;

  const after = state.faults.afterSideEffect(call);
  if (after) return answerFault(after);

  const body: Record<string, unknown> = { processQueryKey, invalidStaffIdList: invalid, flowControlledStaffIdList: flowControlled };
  // filteredStaffIdList is undocumented (spec §3.2): only present when the simulator is told to filter someone.
  if (settings.filteredUserIds.length > 0) body.filteredStaffIdList = filtered;
  return { status: 200, body };
}

interface ValidSend {
  robotCode: string;
  userIds: string[];
  msgKey: string;
  msgParam: Record<string, unknown>;
}

function validate(req: SimRequest, state: SimulatorState, appKey: string): ValidSend {
  const body = parseJsonBody(req.body);
  if (!isPlainObject(body)) throw dingTalkError('invalidParameter.msgBody.invalid');

  const { robotCode, userIds, msgKey, msgParam } = body;
  if (typeof robotCode !== 'string' || robotCode.trim() === '') throw dingTalkError('invalidParameter.robotCode.empty');
  const owner = state.appsByRobot.get(robotCode);
  if (!owner) throw dingTalkError('invalidParameter.robotCode.notExsit');
  // batchSend documents no dedicated app/robot mismatch code (sibling APIs use robotCode.auth); INFERRED choice.
  if (owner.appKey !== appKey) throw dingTalkError('invalidParameter.robotCode.invalid');

  if (!Array.isArray(userIds) || userIds.length === 0) throw dingTalkError('invalidParameter.userIds.empty');
  if (userIds.length > state.settings.maxUserIdsPerCall) {
    throw dingTalkError(
      'invalidParameter.userIds.overMax',
      `用户userId列表超过最大限制${state.settings.maxUserIdsPerCall},请将userId拆分成多个长度不超过${state.settings.maxUserIdsPerCall}的数组,分批次调用此接口`,
    );
  }
  for (const userId of userIds) {
    if (typeof userId !== 'string' || userId.trim() === '') throw dingTalkError('invalidParameter.userId.empty');
  }

  if (typeof msgKey !== 'string' || msgKey.trim() === '') throw dingTalkError('invalidParameter.msgKey.empty');
  const rule = msgKeyRule(msgKey);
  if (!rule) throw dingTalkError('invalidParameter.msgKey.invalid');

  if (typeof msgParam !== 'string') throw dingTalkError('invalidParameter.msgParam.invalid');
  if (Buffer.byteLength(msgParam, 'utf8') > state.settings.maxMsgParamBytes) {
    throw dingTalkError('invalidParameter.msgParam.tooLong');
  }
  const parsed = parseJsonString(msgParam);
  if (!isPlainObject(parsed)) throw dingTalkError('invalidParameter.msgParam.invalid');
  const missing = findMissingField(rule, parsed);
  if (missing) throw dingTalkError(missing.missCode);

  return { robotCode, userIds: userIds as string[], msgKey, msgParam: parsed };
}

function parseJsonString(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Opaque like DingTalk's: 32 random bytes in standard base64 (44 chars, ends in `=`, often has `+` or `/`). */
function newProcessQueryKey(): string {
  return randomBytes(32).toString('base64');
}
