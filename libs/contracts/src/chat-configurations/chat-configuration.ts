/** What a chat configuration connects to (OOS's `Type`). Only DingTalk configurations can send. */
export const ChatConfigurationType = { DingTalk: 'DingTalk', WeChat: 'WeChat' } as const;
export type ChatConfigurationType = (typeof ChatConfigurationType)[keyof typeof ChatConfigurationType];
export const CHAT_CONFIGURATION_TYPES: readonly ChatConfigurationType[] = Object.values(ChatConfigurationType);

/** An inactive configuration is kept but refuses new sends. */
export const ChatConfigurationStatus = { Active: 'active', Inactive: 'inactive' } as const;
export type ChatConfigurationStatus = (typeof ChatConfigurationStatus)[keyof typeof ChatConfigurationStatus];
export const CHAT_CONFIGURATION_STATUSES: readonly ChatConfigurationStatus[] = Object.values(ChatConfigurationStatus);

/**
 * OOS publishes no limits for `Name`; dingrelay's: 1–128 characters of `A-Z a-z 0-9 . _ -`, starting with a letter or
 * digit. The name is part of URLs (REST path, callback URL) and log lines, so nothing that needs escaping.
 */
export const CHAT_CONFIGURATION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const CHAT_CONFIGURATION_NAME_RULE = '1-128 characters of A-Z, a-z, 0-9, ".", "_" or "-", starting with a letter or digit';

/** How every secret (client secret, AesKey, callback token) appears in responses. */
export const MASKED_SECRET = '******';

export const MAX_CHAT_CONFIGURATION_TAGS = 20;
export const DEFAULT_CHAT_CONFIGURATIONS_PAGE_SIZE = 50;
export const MAX_CHAT_CONFIGURATIONS_PAGE_SIZE = 100;
