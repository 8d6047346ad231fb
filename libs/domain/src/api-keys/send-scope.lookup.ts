import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sentThroughCurrentConfiguration } from '../chat-configurations/send-configuration.sql.js';
import { isUuid } from '../ids/uuid.js';

/** The chat configuration a send went through: what a scoped (sender) key's access to that send is decided by. */
export interface SendConfigurationScope {
  /** The configuration's name, which a sender's scope lists. */
  name: string;
  /**
   * Whether the configuration that has the name now is the one the send went through. False once it was deleted (and
   * perhaps created anew under the name): no sender key reads or acts on such a send, whatever its scope names.
   */
  current: boolean;
}

@Injectable()
export class SendScopeLookup {
  constructor(private readonly dataSource: DataSource) {}

  /** Undefined when there is no such send (the caller then answers as it would for anyone: 404). */
  async configurationOf(sendId: string): Promise<SendConfigurationScope | undefined> {
    if (!isUuid(sendId)) return undefined;
    const [row]: { name: string; current: boolean }[] = await this.dataSource.query(
      `SELECT s.chat_configuration AS name, ${sentThroughCurrentConfiguration('s')} AS current FROM sends s WHERE s.id = $1`,
      [sendId.toLowerCase()],
    );
    return row;
  }
}
