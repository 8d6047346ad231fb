export { startDingTalkSimulator, type DingTalkSimulator, type LedgerView, type SimulatorOptions } from './simulator.js';
export {
  DEFAULT_SETTINGS,
  DEFAULT_USER_PATTERN,
  DEV_APP,
  resolveSettings,
  SIM_API_NAMES,
  SimConfigError,
  type FaultConfig,
  type FlowControlConfig,
  type ResolvedFaults,
  type ScriptedFault,
  type SimApiName,
  type SimAppConfig,
  type SimulatorConfig,
  type SimulatorSettings,
  type UserDirectoryConfig,
} from './simulator-config.js';
export {
  type LedgerCall,
  type LedgerDelivery,
  type LedgerDuplicate,
  type LedgerFilter,
  type LedgerPage,
  type LedgerSummary,
} from './ledger.js';
export { type ApiCallStats, type SimStatsSnapshot } from './sim-stats.js';
export { ADMIN_PREFIX } from './admin.handler.js';
export { ACCESS_TOKEN_HEADER } from './app-authentication.js';
export { messageFingerprint, canonicalJson } from './message-fingerprint.js';
export { SUPPORTED_MSG_KEYS, msgKeyRule, type MsgKeyRule, type RequiredField } from './msg-key-rules.js';
export { type SimPluginEntry } from './plugin-store.js';
export { type PluginConfig, type PluginSettings } from './plugin-settings.js';
export { type ReadStatusCallRecord, type RecallCallRecord } from './message-state-store.js';
export { DEFAULT_READ_RECALL_SETTINGS, type ReadRecallConfig, type ReadRecallSettings } from './read-recall-settings.js';
