import { Injectable } from '@nestjs/common';
import type { ChatConfigurationStatus } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import { decodePageToken, encodePageToken } from '../pagination/page-token.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { type ChatConfigurationView, toChatConfigurationView } from './chat-configuration.view.js';

export interface ListChatConfigurationsInput {
  /** Names starting with this. */
  namePrefix?: string;
  /** A ChatConfigurationType; one no configuration has matches nothing (the OOS endpoint passes what it was given). */
  type?: string;
  status?: ChatConfigurationStatus;
  /** Configurations carrying this tag, with this value when one is given. */
  tag?: { key: string; value?: string };
  maxResults: number;
  nextToken?: string;
}

export interface ChatConfigurationPage {
  items: ChatConfigurationView[];
  nextToken: string | null;
}

/** Configurations in name order, paged by keyset on the (unique) name: inserts between pages never skip a row. */
@Injectable()
export class ListChatConfigurationsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: ListChatConfigurationsInput): Promise<ChatConfigurationPage> {
    const filters = [query.namePrefix ?? null, query.type ?? null, query.status ?? null, query.tag?.key ?? null, query.tag?.value ?? null];
    const scope = `chat-configurations:${JSON.stringify(filters)}`;
    const [after] = query.nextToken ? decodePageToken(query.nextToken, scope, ['text']) : [''];

    const builder = this.dataSource
      .getRepository(ChatConfigurationEntity)
      .createQueryBuilder('c')
      .where('c.name > :after', { after })
      .orderBy('c.name', 'ASC')
      .limit(query.maxResults + 1);
    if (query.namePrefix) {
      builder.andWhere(`c.name LIKE :prefix ESCAPE '\\'`, { prefix: `${query.namePrefix.replace(/[\\%_]/g, '\\$&')}%` });
    }
    if (query.type) builder.andWhere('c.type = :type', { type: query.type });
    if (query.status) builder.andWhere('c.status = :status', { status: query.status });
    if (query.tag) {
      if (query.tag.value === undefined) builder.andWhere('c.tags ? :tagKey', { tagKey: query.tag.key });
      else builder.andWhere('c.tags @> :tag::jsonb', { tag: JSON.stringify({ [query.tag.key]: query.tag.value }) });
    }
    const rows = await builder.getMany();
    const hasMore = rows.length > query.maxResults;
    const page = hasMore ? rows.slice(0, query.maxResults) : rows;
    const last = page.at(-1);
    return {
      items: page.map(toChatConfigurationView),
      nextToken: hasMore && last ? encodePageToken(scope, [last.name]) : null,
    };
  }
}
