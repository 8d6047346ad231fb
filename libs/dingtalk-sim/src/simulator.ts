import { type SimulatorControl } from './admin.handler.js';
import { type Ledger } from './ledger.js';
import { type SimPluginEntry } from './plugin-store.js';
import { type ReadStatusCallRecord, type RecallCallRecord } from './message-state-store.js';
import { markMessageRead, messageControls } from './message-controls.js';
import {
  DEFAULT_SETTINGS,
  parseScript,
  resolveSettings,
  type ScriptedFault,
  type SimulatorConfig,
  type SimulatorSettings,
} from './simulator-config.js';
import { SimulatorServer } from './simulator-server.js';
import { SimulatorState } from './simulator-state.js';
import { type SimStatsSnapshot } from './sim-stats.js';

export interface SimulatorOptions extends SimulatorConfig {
  /** 0 (the default) picks a free port; read the result from `url`/`port`. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Clock in epoch ms, for tests that move time instead of sleeping (token expiry, QPS windows). */
  now?: () => number;
}

/** Read-only view of the ledger: tests inspect it, only the simulator writes it. */
export type LedgerView = Pick<Ledger, 'deliveries' | 'countFor' | 'countOf' | 'call' | 'allCalls' | 'duplicates' | 'summary' | 'size'>;

export interface DingTalkSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` — what a DingTalk client uses instead of `https://api.dingtalk.com`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly ledger: LedgerView;
  /** The resolved settings currently in force. */
  settings(): SimulatorSettings;
  stats(): SimStatsSnapshot;
  /** Makes every token (or one app's) invalid at once; the next batchSend with it answers `InvalidAuthentication`. */
  expireAllTokens(appKey?: string): number;
  /** Back to the state right after start: start-time settings, empty ledger, zeroed stats, no tokens. */
  reset(): void;
  /** Replaces the given top-level settings (validated; throws `SimConfigError`). Returns the new settings. */
  configure(patch: SimulatorConfig): SimulatorSettings;
  /** The quick entries currently installed on a robot (what `plugins/query` would answer). */
  plugins(robotCode: string): SimPluginEntry[];
  /**
   * Marks users of a delivered message read now (every delivered user when `userIds` is absent). Throws when no
   * accepted batchSend has this processQueryKey.
   */
  markRead(processQueryKey: string, userIds?: readonly string[]): void;
  /** Makes a message `ms` older for readStatus and batchRecall, e.g. past their 24 h window without waiting. */
  ageMessage(processQueryKey: string, ms: number): void;
  /** The next batchRecall naming this key answers it in `failedResult` with `reason`. */
  failRecall(processQueryKey: string, reason: string): void;
  /** batchRecall calls answered 200, oldest first. */
  recalls(): RecallCallRecord[];
  /** readStatus calls about known messages, oldest first. */
  readStatusCalls(): ReadStatusCallRecord[];
  /** Queues one-shot faults for the next matching calls (see `ScriptedFault`). */
  injectFault(...faults: ScriptedFault[]): void;
  close(): Promise<void>;
}

/** Starts a DingTalk look-alike on `host:port` and resolves once it accepts connections. */
export async function startDingTalkSimulator(options: SimulatorOptions = {}): Promise<DingTalkSimulator> {
  const { port = 0, host = '127.0.0.1', now = Date.now, ...config } = options;
  const initial = resolveSettings(config, DEFAULT_SETTINGS);
  const state = new SimulatorState(initial, now);

  const control: SimulatorControl = {
    state,
    stats: () => state.stats.snapshot(state.faults.quotaUsage(), state.faults.seed),
    configure: (patch) => state.apply(resolveSettings(patch, state.settings)),
    reset: () => state.reset(initial),
    expireAllTokens: (appKey) => state.tokens.expireAll(appKey),
    injectFault: (...faults) => state.faults.inject(parseScript(faults, 'faults')),
  };
  const server = new SimulatorServer(control);
  const address = await server.listen(port, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    ledger: state.ledger,
    settings: () => state.settings,
    stats: control.stats,
    expireAllTokens: control.expireAllTokens,
    reset: control.reset,
    configure: (patch) => {
      control.configure(patch);
      return state.settings;
    },
    injectFault: control.injectFault,
    plugins: (robotCode) => state.plugins.get(robotCode),
    markRead: (processQueryKey, userIds) => markMessageRead(state, processQueryKey, userIds),
    ...messageControls(state),
    close: () => server.close(),
  };
}
