import type { PluginEntry, PluginsResponse, SetPluginsRequest } from '@dingrelay/contracts/client';

/** The API's limits on quick entries (`libs/contracts/src/plugins`), mirrored to check the form before sending. */
export const MAX_QUICK_ENTRIES = 10;
export const MAX_ENTRY_LOCALES = 10;
export const MAX_ENTRY_NAME_LENGTH = 64;
export const LOCALE_PATTERN = /^[a-z]{2,3}_[A-Z]{2}$/;
export const ICON_PATTERN = /^@[A-Za-z0-9_+/=-]{1,255}$/;
export const MAX_ENTRY_URL_LENGTH = 1024;
/** DingTalk's client languages, offered first in the locale picker. */
export const COMMON_LOCALES = ['zh_CN', 'en_US', 'zh_TW', 'zh_HK', 'ja_JP', 'ko_KR', 'vi_VN', 'th_TH', 'id_ID', 'ms_MY'] as const;

export interface EntryNameRow {
  locale?: string;
  text?: string;
}

/** One entry in the form; `name` is a list of locale rows so `plugins.0.name` (the API's path) is its field. */
export interface QuickEntryFormRow {
  name?: EntryNameRow[];
  icon?: string;
  pcUrl?: string;
  mobileUrl?: string;
}

export interface QuickEntriesFormValues {
  plugins?: QuickEntryFormRow[];
}

function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
}

/** `PUT …/plugins`: the complete list (it replaces what the robot has); empty URLs left out. */
export function toSetPluginsRequest(values: QuickEntriesFormValues): SetPluginsRequest {
  return {
    plugins: (values.plugins ?? []).map((row) => {
      const entry: PluginEntry = {
        name: Object.fromEntries((row.name ?? []).filter((n) => n.locale).map((n) => [n.locale!, n.text?.trim() ?? ''])),
        icon: row.icon?.trim() ?? '',
      };
      const pcUrl = optional(row.pcUrl);
      const mobileUrl = optional(row.mobileUrl);
      if (pcUrl) entry.pcUrl = pcUrl;
      if (mobileUrl) entry.mobileUrl = mobileUrl;
      return entry;
    }),
  };
}

function rowOf(entry: PluginEntry & { rawName?: string }): QuickEntryFormRow {
  const names = Object.entries(entry.name ?? {}).map(([locale, text]) => ({ locale, text }));
  // A name DingTalk holds that is not a locale map: offered as Chinese text to fix, not lost.
  if (names.length === 0 && entry.rawName) names.push({ locale: 'zh_CN', text: entry.rawName });
  return { name: names, icon: entry.icon, pcUrl: entry.pcUrl ?? '', mobileUrl: entry.mobileUrl ?? '' };
}

export const BLANK_ENTRY: QuickEntryFormRow = { name: [{ locale: 'zh_CN', text: '' }, { locale: 'en_US', text: '' }], icon: '', pcUrl: '', mobileUrl: '' };

/** The editor starts from what DingTalk reports now, else from what dingrelay last set, else one blank entry. */
export function quickEntriesFormOf(state: PluginsResponse | undefined): QuickEntriesFormValues {
  const now = state?.dingtalk.plugins ?? [];
  if (now.length > 0) return { plugins: now.map(rowOf) };
  const applied = state?.lastApplied?.action === 'set' ? state.lastApplied.plugins : [];
  if (applied.length > 0) return { plugins: applied.map(rowOf) };
  return { plugins: [BLANK_ENTRY] };
}

/** Whether a URL is one the API takes (https, with a host). */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && value.length <= MAX_ENTRY_URL_LENGTH;
  } catch {
    return false;
  }
}
