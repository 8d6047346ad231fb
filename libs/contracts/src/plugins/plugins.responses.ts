import type { IsoDateTime } from '../sends/send.responses.js';

/** One quick entry as dingrelay reports it; `name` is the locale map DingTalk's JSON string holds. */
export interface PluginEntry {
  name: Record<string, string>;
  icon: string;
  pcUrl?: string;
  mobileUrl?: string;
}

/** What dingrelay last applied to the robot, and who did it. */
export interface AppliedPluginsState {
  /** `set` or `clear`. */
  action: 'set' | 'clear';
  plugins: PluginEntry[];
  appliedAt: IsoDateTime;
  appliedBy: string;
}

/** `PUT` and `DELETE …/plugins`: the state DingTalk accepted. */
export interface PluginsChangeResponse {
  chatConfiguration: string;
  robotCode: string;
  applied: AppliedPluginsState;
}

/** `GET …/plugins`: what DingTalk reports now, next to what dingrelay last applied (null if never). */
export interface PluginsResponse {
  chatConfiguration: string;
  robotCode: string;
  /** Entries as `plugins/query` returned them; `rawName` is present when DingTalk's name is not a JSON object. */
  dingtalk: { plugins: (PluginEntry & { rawName?: string })[] };
  lastApplied: AppliedPluginsState | null;
}
