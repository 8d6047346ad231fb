import type { Logger } from '@nestjs/common';
import type { ChatConfigurationUnreadableError } from './chat-configuration.js';

/**
 * Says that a configuration's secrets cannot be decrypted at most once per configuration per back-off. Every item of
 * such a configuration (a batch, a poll, a recall) fails alike and is held back for the back-off, so one line per
 * back-off tells the operator all there is, where one per item would flood the log with a backlog's worth of copies.
 */
export class UnreadableConfigurationNotices {
  /** When each unreadable configuration was last logged. */
  private readonly loggedAt = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    readonly backoffMs: number,
  ) {}

  /** Logs `error` unless its configuration was logged less than a back-off ago. */
  report(error: ChatConfigurationUnreadableError): void {
    const now = Date.now();
    const last = this.loggedAt.get(error.chatConfiguration);
    if (last !== undefined && now - last < this.backoffMs) return;
    this.loggedAt.set(error.chatConfiguration, now);
    this.logger.error(`${error.message}; its work is held back and tried again every ${this.backoffMs} ms`);
  }
}
