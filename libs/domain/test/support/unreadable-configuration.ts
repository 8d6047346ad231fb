import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { ChatConfigurationType } from '@dingrelay/contracts';
import type { DataSource } from 'typeorm';
import { ChatConfigurationEntity, encryptSecrets, type SecretCipher } from '../../src/index.js';
import { APP } from './delivery-harness.js';

/** Collects what a worker logs as errors (Nest's loggers all write through the one overridden with it). */
export class ErrorLines implements LoggerService {
  readonly lines: string[] = [];
  error(message: unknown): void {
    this.lines.push(String(message));
  }
  log(): void {}
  warn(): void {}

  /** The lines saying that configuration's secrets cannot be decrypted. */
  unreadable(name: string): string[] {
    return this.lines.filter((l) => l.includes(`chat configuration ${name}`));
  }
}

/**
 * Stores (or re-stores) the configuration `name` for the test app with its secrets under `cipher`: a cipher of a key
 * the worker lacks makes it unreadable, the test keys make it readable again.
 */
export async function storeConfiguration(db: DataSource, name: string, cipher: SecretCipher): Promise<void> {
  const repo = db.getRepository(ChatConfigurationEntity);
  // A new row gets its id first: each secret is bound to it (encrypted under an undefined id, none would decrypt).
  const row = (await repo.findOneBy({ name })) ?? repo.create({ id: randomUUID(), name, type: ChatConfigurationType.DingTalk, tags: {} });
  row.clientId = APP.appKey;
  row.robotCode = APP.robotCode;
  encryptSecrets(cipher, row, { clientSecret: APP.appSecret, aesKey: 'a'.repeat(43), callbackToken: 'callback-token' });
  await repo.save(row);
}
