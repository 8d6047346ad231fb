import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../ids/uuid.js';

/** The chat configuration a send went through: what a scoped (sender) key's access to that send is decided by. */
@Injectable()
export class SendScopeLookup {
  constructor(private readonly dataSource: DataSource) {}

  /** Undefined when there is no such send (the caller then answers as it would for anyone: 404). */
  async chatConfigurationOf(sendId: string): Promise<string | undefined> {
    if (!isUuid(sendId)) return undefined;
    const rows: { chat_configuration: string }[] = await this.dataSource.query(
      `SELECT chat_configuration FROM sends WHERE id = $1`,
      [sendId.toLowerCase()],
    );
    return rows[0]?.chat_configuration;
  }
}
