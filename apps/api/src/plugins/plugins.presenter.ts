import type { AppliedPluginsState, PluginEntry, PluginsChangeResponse, PluginsResponse } from '@dingrelay/contracts';
import type { AppliedPluginsView, PluginsChangeResult, PluginsView } from '@dingrelay/domain';
import type { RobotPluginInfo } from '@dingrelay/dingtalk-client';

function presentApplied(applied: AppliedPluginsView): AppliedPluginsState {
  return { action: applied.action, plugins: applied.plugins, appliedAt: applied.appliedAt.toISOString(), appliedBy: applied.appliedBy };
}

function presentLive(info: RobotPluginInfo): PluginEntry & { rawName?: string } {
  const entry: PluginEntry & { rawName?: string } = { name: info.name, icon: info.icon };
  if (info.pcUrl !== undefined) entry.pcUrl = info.pcUrl;
  if (info.mobileUrl !== undefined) entry.mobileUrl = info.mobileUrl;
  // Only when DingTalk holds a name that is not our i18n JSON (set outside dingrelay).
  if (Object.keys(info.name).length === 0) entry.rawName = info.rawName;
  return entry;
}

export function presentPluginsChange(result: PluginsChangeResult): PluginsChangeResponse {
  return { chatConfiguration: result.chatConfiguration, robotCode: result.robotCode, applied: presentApplied(result.applied) };
}

export function presentPlugins(view: PluginsView): PluginsResponse {
  return {
    chatConfiguration: view.chatConfiguration,
    robotCode: view.robotCode,
    dingtalk: { plugins: view.live.map(presentLive) },
    lastApplied: view.lastApplied ? presentApplied(view.lastApplied) : null,
  };
}
