import { ChatConfigurationStatus, ChatConfigurationType } from '@dingrelay/contracts';
import type { DataSource } from 'typeorm';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import type { SecretCipher } from '../secrets/secret-cipher.js';
import type { DingTalkLimits } from '../usage/dingtalk-limits.js';
import {
  type ChatConfigurationCredentials,
  type ChatConfigurationCredentialsSource,
  ChatConfigurationUnreadableError,
} from './chat-configuration.js';
import { decryptSecrets } from './chat-configuration-secrets.js';

/**
 * How long a looked-up configuration is reused. The worker reads one per batch; a change made by another process
 * (the API) reaches workers within this bound, a change made in this process at once (invalidate).
 */
export const CHAT_CONFIGURATION_CACHE_MS = 5_000;

/**
 * Chat configurations as the rest of dingrelay reads them: from the `chat_configurations` table, secrets decrypted.
 * `pinned` configurations are defined in the process itself and shadow the table; only embedding code (tests,
 * benchmarks) pins any, the apps never do.
 */
export class ChatConfigurationDirectory implements ChatConfigurationCredentialsSource {
  private readonly cache = new Map<string, { at: number; value: Promise<ChatConfigurationCredentials | undefined> }>();
  private readonly pinned: Map<string, ChatConfigurationCredentials>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
    pinned: readonly ChatConfigurationCredentials[] = [],
    private readonly cacheMs = CHAT_CONFIGURATION_CACHE_MS,
  ) {
    this.pinned = new Map(pinned.map((c) => [c.name, c]));
  }

  async find(name: string): Promise<ChatConfigurationCredentials | undefined> {
    const pinned = this.pinned.get(name);
    if (pinned) return pinned;
    const cached = this.cache.get(name);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.value;
    const value = this.load(name);
    this.cache.set(name, { at: Date.now(), value });
    // A failed read (database down) is not remembered.
    value.catch(() => this.cache.delete(name));
    return value;
  }

  async findAsRecorded(name: string, id: string | null): Promise<ChatConfigurationCredentials | undefined> {
    // A pinned configuration stands for its name, whatever the table holds (embedding code only).
    const pinned = this.pinned.get(name);
    if (pinned) return pinned;
    let found = await this.find(name);
    if ((found?.id ?? null) !== id) {
      // The cached copy may be from before the configuration was replaced (another process deleted and re-created
      // it less than cacheMs ago): read it again before concluding it is gone.
      this.invalidate(name);
      found = await this.find(name);
    }
    return (found?.id ?? null) === id ? found : undefined;
  }

  /** Drops a cached configuration after this process changed or deleted it. */
  invalidate(name: string): void {
    this.cache.delete(name);
  }

  private async load(name: string): Promise<ChatConfigurationCredentials | undefined> {
    const row = await this.dataSource.getRepository(ChatConfigurationEntity).findOneBy({ name });
    if (!row) return undefined;
    let secrets: ReturnType<typeof decryptSecrets>;
    try {
      secrets = decryptSecrets(this.cipher, row);
    } catch (error) {
      throw new ChatConfigurationUnreadableError(name, error);
    }
    const limits: Partial<DingTalkLimits> = {};
    if (row.callsPerSecond !== null) limits.callsPerSecond = row.callsPerSecond;
    if (row.paceUtilization !== null) limits.paceUtilization = row.paceUtilization;
    if (row.monthlyCallQuota !== null) limits.monthlyCallQuota = row.monthlyCallQuota;
    return {
      id: row.id,
      name: row.name,
      type: row.type ?? ChatConfigurationType.DingTalk,
      status: row.status ?? ChatConfigurationStatus.Active,
      appKey: row.clientId ?? '',
      appSecret: secrets.clientSecret ?? '',
      robotCode: row.robotCode ?? '',
      limits,
      aesKey: secrets.aesKey,
      callbackToken: secrets.callbackToken,
    };
  }
}
