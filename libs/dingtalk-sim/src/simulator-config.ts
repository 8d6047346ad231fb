/**
 * Configuration of the simulator: the loose input shape (`SimulatorConfig`, what tests, the JSON config file and
 * the admin endpoint pass) and the resolved shape (`SimulatorSettings`) the handlers read. Everything that can be
 * changed at runtime lives here, so `configure()` and `POST /__sim/config` go through one validator.
 */
import { DEFAULT_PLUGIN_SETTINGS, parsePluginSettings, type PluginConfig, type PluginSettings } from './plugin-settings.js';
import {
  DEFAULT_READ_RECALL_SETTINGS,
  parseReadRecallSettings,
  type ReadRecallConfig,
  type ReadRecallSettings,
} from './read-recall-settings.js';

/** The DingTalk APIs the simulator serves; fault switches target them by these names. */
export type SimApiName = 'accessToken' | 'batchSend' | 'pluginsSet' | 'pluginsQuery' | 'pluginsClear' | 'readStatus' | 'batchRecall';
export const SIM_API_NAMES: readonly SimApiName[] = [
  'accessToken',
  'batchSend',
  'pluginsSet',
  'pluginsQuery',
  'pluginsClear',
  'readStatus',
  'batchRecall',
];

/** One internal app with its enterprise robot. Tokens are per app; a token may only drive its own app's robot. */
export interface SimAppConfig {
  appKey: string;
  appSecret: string;
  robotCode: string;
}

/** Who exists in the org: a regular expression over userIds, or an explicit list. Others are `invalidStaffIdList`. */
export type UserDirectoryConfig = { pattern: string } | { ids: readonly string[] };

export interface FlowControlConfig {
  /** These users come back in `flowControlledStaffIdList` for their first `times` sends, then are delivered. */
  userIds?: readonly string[];
  /** How many sends each listed user is flow-controlled for (default 1). */
  times?: number;
  /** Probability in [0, 1] that any other valid recipient is flow-controlled on a given call (seeded PRNG). */
  rate?: number;
}

/**
 * A one-shot misbehaviour for the next matching calls, e.g. "the next 2 batchSend calls answer 429 system.busy".
 * Scripted faults run before random ones and are consumed in order.
 */
export interface ScriptedFault {
  /** Default `batchSend`. */
  api?: SimApiName;
  /** How many calls it applies to (default 1). */
  times?: number;
  /** DingTalk code to answer with (default `system.error`); status and message default from the code. */
  code?: string;
  status?: number;
  message?: string;
  /** Deliver the message first, then fail or hang: the ambiguous outcome a sender must not double-deliver on. */
  afterDelivery?: boolean;
  /** Never answer (the socket stays open until the client gives up or the simulator closes). */
  hang?: boolean;
}

/** Input shape of the fault switches; all off by default. */
export interface FaultConfig {
  /** Seed of the PRNG behind every rate; random when absent (the chosen seed is reported by `stats()`). */
  seed?: number;
  /**
   * Which APIs the rates, QPS cap and latency apply to (default `['batchSend', 'readStatus', 'batchRecall']`: the
   * calls a sender paces; each API has its own per-app QPS window, as DingTalk's limit is per app and API).
   */
  apis?: readonly SimApiName[];
  /** Per app, per API calls allowed in any sliding 1 s window; above → 403 `Forbidden.AccessDenied.QpsLimitForAppkeyAndApi`. 0 = off. */
  qpsLimitPerApp?: number;
  /** Counted calls per app before 403 `Forbidden.AccessDenied.ApiCountLimitForOrg`; QPS-throttled calls don't count. 0 = off. */
  monthlyQuotaPerApp?: number;
  /** Probability of 400 `send.too.fast`. */
  sendTooFastRate?: number;
  /** Probability of 429 `system.busy`. */
  systemBusyRate?: number;
  /** Probability of 500 `system.error` before anything is delivered. */
  systemErrorRate?: number;
  /** Probability of delivering and then answering 500 `system.error`. */
  errorAfterDeliveryRate?: number;
  /** Probability of never answering, without delivering. */
  hangRate?: number;
  /** Probability of delivering and then never answering. */
  hangAfterDeliveryRate?: number;
  /** Extra delay before each response: fixed ms, or uniform in [min, max]. */
  latencyMs?: number | { min: number; max: number };
  /** Scripted one-shot faults, consumed in order. */
  script?: readonly ScriptedFault[];
}

/** Everything that can be set at start, from a JSON config, or at runtime. Top-level keys replace, never deep-merge. */
export interface SimulatorConfig {
  apps?: readonly SimAppConfig[];
  users?: UserDirectoryConfig;
  /** Valid users that DingTalk silently filters: returned in `filteredStaffIdList` (a field only present when set). */
  filteredUserIds?: readonly string[];
  /** Access-token lifetime; DingTalk's is 7200. Keep it short in tests of expiry. */
  tokenTtlSeconds?: number;
  /** Above this many userIds → `invalidParameter.userIds.overMax` (default 20; DingTalk's error text says 100). */
  maxUserIdsPerCall?: number;
  /** Above this many UTF-8 bytes of msgParam → `invalidParameter.msgParam.tooLong` (default 15000). */
  maxMsgParamBytes?: number;
  flowControl?: FlowControlConfig;
  faults?: FaultConfig;
  /** Quick-entry (plugins) switches: maximum entries, stopped robots. */
  plugins?: PluginConfig;
  /** readStatus / batchRecall switches: when users read, not-ready window, clock offset, recall failures. */
  readRecall?: ReadRecallConfig;
}

export interface ResolvedFaults {
  seed: number | undefined;
  apis: readonly SimApiName[];
  qpsLimitPerApp: number;
  monthlyQuotaPerApp: number;
  sendTooFastRate: number;
  systemBusyRate: number;
  systemErrorRate: number;
  errorAfterDeliveryRate: number;
  hangRate: number;
  hangAfterDeliveryRate: number;
  latencyMs: { min: number; max: number };
  script: readonly ScriptedFault[];
}

export interface SimulatorSettings {
  apps: readonly SimAppConfig[];
  users: UserDirectoryConfig;
  filteredUserIds: readonly string[];
  tokenTtlSeconds: number;
  maxUserIdsPerCall: number;
  maxMsgParamBytes: number;
  flowControl: { userIds: readonly string[]; times: number; rate: number };
  faults: ResolvedFaults;
  plugins: PluginSettings;
  readRecall: ReadRecallSettings;
}

/** Obviously fake development credentials; the app every dev setup and test uses unless told otherwise. */
export const DEV_APP: SimAppConfig = {
  appKey: 'dingrelay-dev-app',
  appSecret: 'dingrelay-dev-secret',
  robotCode: 'dingrelay-dev-robot',
};
export const DEFAULT_USER_PATTERN = '^user-\\d+$';

export const NO_FAULTS: ResolvedFaults = {
  seed: undefined,
  apis: ['batchSend', 'readStatus', 'batchRecall'],
  qpsLimitPerApp: 0,
  monthlyQuotaPerApp: 0,
  sendTooFastRate: 0,
  systemBusyRate: 0,
  systemErrorRate: 0,
  errorAfterDeliveryRate: 0,
  hangRate: 0,
  hangAfterDeliveryRate: 0,
  latencyMs: { min: 0, max: 0 },
  script: [],
};

export const DEFAULT_SETTINGS: SimulatorSettings = {
  apps: [DEV_APP],
  users: { pattern: DEFAULT_USER_PATTERN },
  filteredUserIds: [],
  tokenTtlSeconds: 7200,
  maxUserIdsPerCall: 20,
  maxMsgParamBytes: 15000,
  flowControl: { userIds: [], times: 1, rate: 0 },
  faults: NO_FAULTS,
  plugins: DEFAULT_PLUGIN_SETTINGS,
  readRecall: DEFAULT_READ_RECALL_SETTINGS,
};

export class SimConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimConfigError';
  }
}

const SETTING_KEYS = new Set<string>([
  'apps',
  'users',
  'filteredUserIds',
  'tokenTtlSeconds',
  'maxUserIdsPerCall',
  'maxMsgParamBytes',
  'flowControl',
  'faults',
  'plugins',
  'readRecall',
]);

/**
 * Validates `input` (untrusted: JSON file, admin request) and returns `base` with the given top-level keys
 * replaced. Unknown keys are rejected so a typo in a test's config fails loudly instead of silently doing nothing.
 */
export function resolveSettings(input: unknown, base: SimulatorSettings = DEFAULT_SETTINGS): SimulatorSettings {
  const cfg = asObject(input, 'config');
  for (const key of Object.keys(cfg)) {
    if (!SETTING_KEYS.has(key)) throw new SimConfigError(`config: unknown key "${key}"`);
  }
  const next: SimulatorSettings = { ...base };
  if (cfg.apps !== undefined) next.apps = parseApps(cfg.apps);
  if (cfg.users !== undefined) next.users = parseUsers(cfg.users);
  if (cfg.filteredUserIds !== undefined) next.filteredUserIds = stringArray(cfg.filteredUserIds, 'filteredUserIds');
  if (cfg.tokenTtlSeconds !== undefined) next.tokenTtlSeconds = positiveNumber(cfg.tokenTtlSeconds, 'tokenTtlSeconds');
  if (cfg.maxUserIdsPerCall !== undefined) next.maxUserIdsPerCall = positiveInteger(cfg.maxUserIdsPerCall, 'maxUserIdsPerCall');
  if (cfg.maxMsgParamBytes !== undefined) next.maxMsgParamBytes = positiveInteger(cfg.maxMsgParamBytes, 'maxMsgParamBytes');
  if (cfg.flowControl !== undefined) next.flowControl = parseFlowControl(cfg.flowControl);
  if (cfg.faults !== undefined) next.faults = parseFaults(cfg.faults);
  if (cfg.plugins !== undefined) next.plugins = parsePluginSettings(cfg.plugins, (m) => new SimConfigError(m));
  if (cfg.readRecall !== undefined) next.readRecall = parseReadRecallSettings(cfg.readRecall, (m) => new SimConfigError(m));
  return next;
}

/** The settings as JSON for `GET /__sim/config`, with app secrets masked the way DingTalk's consoles do. */
export function describeSettings(settings: SimulatorSettings): unknown {
  return { ...settings, apps: settings.apps.map((a) => ({ ...a, appSecret: '******' })) };
}

function parseApps(value: unknown): SimAppConfig[] {
  if (!Array.isArray(value) || value.length === 0) throw new SimConfigError('apps: expected a non-empty array');
  const seenKeys = new Set<string>();
  const seenRobots = new Set<string>();
  return value.map((raw, i) => {
    const o = asObject(raw, `apps[${i}]`);
    const app = {
      appKey: nonEmptyString(o.appKey, `apps[${i}].appKey`),
      appSecret: nonEmptyString(o.appSecret, `apps[${i}].appSecret`),
      robotCode: nonEmptyString(o.robotCode, `apps[${i}].robotCode`),
    };
    if (seenKeys.has(app.appKey)) throw new SimConfigError(`apps[${i}].appKey: duplicate "${app.appKey}"`);
    if (seenRobots.has(app.robotCode)) throw new SimConfigError(`apps[${i}].robotCode: duplicate "${app.robotCode}"`);
    seenKeys.add(app.appKey);
    seenRobots.add(app.robotCode);
    return app;
  });
}

function parseUsers(value: unknown): UserDirectoryConfig {
  const o = asObject(value, 'users');
  if (o.pattern !== undefined && o.ids === undefined) {
    const pattern = nonEmptyString(o.pattern, 'users.pattern');
    try {
      new RegExp(pattern);
    } catch (err) {
      throw new SimConfigError(`users.pattern: ${(err as Error).message}`);
    }
    return { pattern };
  }
  if (o.ids !== undefined && o.pattern === undefined) return { ids: stringArray(o.ids, 'users.ids') };
  throw new SimConfigError('users: expected exactly one of { pattern } or { ids }');
}

function parseFlowControl(value: unknown): SimulatorSettings['flowControl'] {
  const o = asObject(value, 'flowControl');
  rejectUnknown(o, ['userIds', 'times', 'rate'], 'flowControl');
  return {
    userIds: o.userIds === undefined ? [] : stringArray(o.userIds, 'flowControl.userIds'),
    times: o.times === undefined ? 1 : nonNegativeInteger(o.times, 'flowControl.times'),
    rate: o.rate === undefined ? 0 : rate(o.rate, 'flowControl.rate'),
  };
}

const FAULT_KEYS = [
  'seed',
  'apis',
  'qpsLimitPerApp',
  'monthlyQuotaPerApp',
  'sendTooFastRate',
  'systemBusyRate',
  'systemErrorRate',
  'errorAfterDeliveryRate',
  'hangRate',
  'hangAfterDeliveryRate',
  'latencyMs',
  'script',
];

function parseFaults(value: unknown): ResolvedFaults {
  const o = asObject(value, 'faults');
  rejectUnknown(o, FAULT_KEYS, 'faults');
  const num = (key: string, parse: (v: unknown, n: string) => number): number =>
    o[key] === undefined ? 0 : parse(o[key], `faults.${key}`);
  return {
    seed: o.seed === undefined ? undefined : nonNegativeInteger(o.seed, 'faults.seed'),
    apis: o.apis === undefined ? NO_FAULTS.apis : parseApis(o.apis, 'faults.apis'),
    qpsLimitPerApp: num('qpsLimitPerApp', nonNegativeInteger),
    monthlyQuotaPerApp: num('monthlyQuotaPerApp', nonNegativeInteger),
    sendTooFastRate: num('sendTooFastRate', rate),
    systemBusyRate: num('systemBusyRate', rate),
    systemErrorRate: num('systemErrorRate', rate),
    errorAfterDeliveryRate: num('errorAfterDeliveryRate', rate),
    hangRate: num('hangRate', rate),
    hangAfterDeliveryRate: num('hangAfterDeliveryRate', rate),
    latencyMs: parseLatency(o.latencyMs),
    script: o.script === undefined ? [] : parseScript(o.script, 'faults.script'),
  };
}

function parseLatency(value: unknown): { min: number; max: number } {
  if (value === undefined) return { min: 0, max: 0 };
  if (typeof value === 'number') {
    const ms = nonNegativeNumber(value, 'faults.latencyMs');
    return { min: ms, max: ms };
  }
  const o = asObject(value, 'faults.latencyMs');
  const min = nonNegativeNumber(o.min, 'faults.latencyMs.min');
  const max = nonNegativeNumber(o.max, 'faults.latencyMs.max');
  if (max < min) throw new SimConfigError('faults.latencyMs: max must be >= min');
  return { min, max };
}

/** Validates scripted faults; exported for the admin endpoint that appends to the script at runtime. */
export function parseScript(value: unknown, name: string): ScriptedFault[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((raw, i) => {
    const o = asObject(raw, `${name}[${i}]`);
    rejectUnknown(o, ['api', 'times', 'code', 'status', 'message', 'afterDelivery', 'hang'], `${name}[${i}]`);
    const fault: ScriptedFault = {};
    if (o.api !== undefined) fault.api = parseApis([o.api], `${name}[${i}].api`)[0];
    if (o.times !== undefined) fault.times = positiveInteger(o.times, `${name}[${i}].times`);
    if (o.code !== undefined) fault.code = nonEmptyString(o.code, `${name}[${i}].code`);
    if (o.status !== undefined) {
      const status = positiveInteger(o.status, `${name}[${i}].status`);
      if (status < 400 || status > 599) throw new SimConfigError(`${name}[${i}].status: expected 400..599`);
      fault.status = status;
    }
    if (o.message !== undefined) fault.message = nonEmptyString(o.message, `${name}[${i}].message`);
    if (o.afterDelivery !== undefined) fault.afterDelivery = bool(o.afterDelivery, `${name}[${i}].afterDelivery`);
    if (o.hang !== undefined) fault.hang = bool(o.hang, `${name}[${i}].hang`);
    return fault;
  });
}

function parseApis(value: unknown, name: string): SimApiName[] {
  const list = stringArray(value, name);
  for (const api of list) {
    if (!(SIM_API_NAMES as readonly string[]).includes(api)) {
      throw new SimConfigError(`${name}: unknown api "${api}" (expected ${SIM_API_NAMES.join(' | ')})`);
    }
  }
  return list as SimApiName[];
}

function asObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimConfigError(`${name}: expected an object`);
  }
  return value as Record<string, unknown>;
}

function rejectUnknown(o: Record<string, unknown>, known: readonly string[], name: string): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) throw new SimConfigError(`${name}: unknown key "${key}"`);
  }
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new SimConfigError(`${name}: expected a non-empty string`);
  return value;
}

function stringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new SimConfigError(`${name}: expected an array of strings`);
  }
  return [...(value as string[])];
}

function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new SimConfigError(`${name}: expected a boolean`);
  return value;
}

function nonNegativeNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SimConfigError(`${name}: expected a number >= 0`);
  }
  return value;
}

function positiveNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SimConfigError(`${name}: expected a number > 0`);
  }
  return value;
}

function nonNegativeInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new SimConfigError(`${name}: expected an integer >= 0`);
  return value as number;
}

function positiveInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new SimConfigError(`${name}: expected an integer > 0`);
  return value as number;
}

function rate(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new SimConfigError(`${name}: expected a number in [0, 1]`);
  return value;
}
