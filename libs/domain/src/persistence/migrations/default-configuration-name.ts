import type { QueryRunner } from 'typeorm';
import { DEFAULT_CHAT_CONFIGURATION_NAME } from '../../chat-configurations/chat-configuration.js';

/** The session setting through which `runMigrations` tells migrations the deployment's default configuration name. */
export const DEFAULT_CONFIGURATION_SETTING = 'dingrelay.default_chat_configuration';

/**
 * The deployment's default chat configuration (DEFAULT_CHAT_CONFIGURATION_NAME), as `runMigrations` set it on the
 * migrating connection; `default`, the variable's own default, when the caller named none. A migration needs it where
 * that name is special: a sender key may be scoped to it before its row exists (the first start creates it).
 */
export async function defaultConfigurationNameOf(q: QueryRunner): Promise<string> {
  const [row]: { name: string | null }[] = await q.query(`SELECT nullif(current_setting($1, true), '') AS name`, [DEFAULT_CONFIGURATION_SETTING]);
  return row?.name ?? DEFAULT_CHAT_CONFIGURATION_NAME;
}
