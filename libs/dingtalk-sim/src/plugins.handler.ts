import { authenticateApp } from './app-authentication.js';
import { dingTalkError } from './dingtalk-error.js';
import { answerFault } from './fault-outcome.js';
import { isPlainObject, parseJsonBody, type SimRequest, type SimResult } from './http-io.js';
import { type SimPluginEntry } from './plugin-store.js';
import { type SimApiName } from './simulator-config.js';
import { type SimulatorState } from './simulator-state.js';

/**
 * `POST /v1.0/robot/plugins/set|query|clear` (spec §6, seeds 000/001). Checks run in this order (INFERRED; the doc
 * lists codes, not their precedence): token → faults → body → robot exists → robot is the token's app's → robot
 * not stopped → entries. `system.error` and `invalidRequest.pluginInstallFail` only come from fault switches
 * (scripted faults with `api: 'pluginsSet'` etc.), since nothing a caller sends causes them.
 */
export function handlePluginsSet(req: SimRequest, state: SimulatorState): SimResult {
  return withRobot(req, state, 'pluginsSet', (robotCode, body) => {
    const entries = parseEntries(body.pluginInfoList);
    if (entries.length > state.settings.plugins.maxPerRobot) throw dingTalkError('invalidRequest.exceededMaximumLimit');
    state.plugins.set(robotCode, entries);
    return { result: true };
  });
}

export function handlePluginsQuery(req: SimRequest, state: SimulatorState): SimResult {
  return withRobot(req, state, 'pluginsQuery', (robotCode) => ({ pluginInfoList: state.plugins.get(robotCode) }));
}

export function handlePluginsClear(req: SimRequest, state: SimulatorState): SimResult {
  return withRobot(req, state, 'pluginsClear', (robotCode) => {
    state.plugins.clearRobot(robotCode);
    return { result: true };
  });
}

function withRobot(
  req: SimRequest,
  state: SimulatorState,
  api: SimApiName,
  act: (robotCode: string, body: Record<string, unknown>) => unknown,
): SimResult {
  const appKey = authenticateApp(req, state);
  const call = { api, appKey };
  const before = state.faults.beforeCall(call);
  if (before) return answerFault(before);

  const body = parseJsonBody(req.body);
  if (!isPlainObject(body)) throw dingTalkError('param.illegal');
  const { robotCode } = body;
  if (typeof robotCode !== 'string' || robotCode.trim() === '') throw dingTalkError('param.illegal');
  const owner = state.appsByRobot.get(robotCode);
  if (!owner) throw dingTalkError('invalidRequest.robotNotExist');
  if (owner.appKey !== appKey) throw dingTalkError('invalidRequest.robotCodeNotMatch');
  if (state.settings.plugins.stoppedRobotCodes.includes(robotCode)) throw dingTalkError('invalidRequest.robotIsStop');

  const answer = act(robotCode, body);
  const after = state.faults.afterSideEffect(call);
  if (after) return answerFault(after);
  return { status: 200, body: answer };
}

/** `pluginInfoList` is optional per the doc; absent means "no entries" under replace semantics. */
function parseEntries(value: unknown): SimPluginEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw dingTalkError('param.illegal');
  return value.map((raw) => {
    if (!isPlainObject(raw)) throw dingTalkError('param.illegal');
    const { name, icon, pcUrl, mobileUrl } = raw;
    if (typeof name !== 'string' || name.trim() === '') throw dingTalkError('param.illegal');
    if (typeof icon !== 'string' || icon.trim() === '') throw dingTalkError('param.illegal');
    if (!isI18nJson(name)) throw dingTalkError('invalidRequest.jsonFormatErroj');
    if (pcUrl !== undefined && typeof pcUrl !== 'string') throw dingTalkError('param.illegal');
    if (mobileUrl !== undefined && typeof mobileUrl !== 'string') throw dingTalkError('param.illegal');
    const entry: SimPluginEntry = { name, icon };
    if (pcUrl !== undefined) entry.pcUrl = pcUrl;
    if (mobileUrl !== undefined) entry.mobileUrl = mobileUrl;
    return entry;
  });
}

/** The name must be a JSON object string of locale → text, e.g. `{"en_US":"test123"}`. */
function isI18nJson(name: string): boolean {
  try {
    const parsed: unknown = JSON.parse(name);
    return isPlainObject(parsed) && Object.values(parsed).every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}
