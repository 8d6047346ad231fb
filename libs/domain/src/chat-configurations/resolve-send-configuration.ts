import { ChatConfigurationStatus, ChatConfigurationType } from '@dingrelay/contracts';
import type { EntityManager } from 'typeorm';
import { ConflictError, InvalidInputError } from '../errors/domain.error.js';
import type { ChatConfigurationRef, DefaultChatConfiguration, SendConfiguration } from './chat-configuration.js';

/**
 * The configuration a new send goes through, read inside the send's transaction with a share lock, so the answer
 * holds until the send commits (a delete waits for it, then sees the send in progress). Unknown → 400 naming
 * `chatConfiguration`; WeChat or inactive → 409 (the configuration exists but its state forbids sending). A default
 * pinned in the process (with its robot) is taken as it is, with the id of the row of its name if there is one.
 */
export async function resolveSendConfiguration(
  tx: EntityManager,
  requested: string | ChatConfigurationRef | undefined,
  fallback: DefaultChatConfiguration,
): Promise<SendConfiguration> {
  // A ref with its robot is pinned by embedding code (tests); the API only ever passes names.
  if (typeof requested === 'object') return { ...requested, id: await idOfName(tx, requested.name) };
  const name = requested ?? fallback.name;
  if (name === fallback.name && fallback.robotCode) return { name, robotCode: fallback.robotCode, id: await idOfName(tx, name) };
  const [row]: { id: string; type: ChatConfigurationType; status: ChatConfigurationStatus; robot_code: string | null }[] = await tx.query(
    `SELECT id, type, status, robot_code FROM chat_configurations WHERE name = $1 FOR SHARE`,
    [name],
  );
  if (!row) {
    throw new InvalidInputError('chatConfiguration', `no chat configuration is named ${JSON.stringify(name.slice(0, 128))}`);
  }
  if (row.type !== ChatConfigurationType.DingTalk) {
    throw new ConflictError(`Chat configuration ${name} is of type ${row.type}; only DingTalk configurations can send`, [
      { field: 'chatConfiguration', message: `is a ${row.type} configuration, which cannot send DingTalk messages` },
    ]);
  }
  if (row.status !== ChatConfigurationStatus.Active || !row.robot_code) {
    throw new ConflictError(`Chat configuration ${name} is inactive; activate it to send through it`, [
      { field: 'chatConfiguration', message: 'is inactive' },
    ]);
  }
  return { name, robotCode: row.robot_code, id: row.id };
}

/**
 * A pinned configuration's row, if one has its name: the send is recorded against it like any send through that name
 * (so a sender scoped to the name sees it while that configuration lasts). Null when none has: the send then belongs
 * to no configuration row, and is matched by name alone.
 */
async function idOfName(tx: EntityManager, name: string): Promise<string | null> {
  const [row]: { id: string }[] = await tx.query(`SELECT id FROM chat_configurations WHERE name = $1 FOR SHARE`, [name]);
  return row?.id ?? null;
}
