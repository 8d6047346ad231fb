import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors/domain.error.js';
import { ChatConfigurationEntity } from '../persistence/entities/chat-configuration.entity.js';
import { assertExistingName } from './chat-configuration.commands.js';
import { type ChatConfigurationView, toChatConfigurationView } from './chat-configuration.view.js';

@Injectable()
export class GetChatConfigurationUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(name: string): Promise<ChatConfigurationView> {
    assertExistingName(name);
    const row = await this.dataSource.getRepository(ChatConfigurationEntity).findOneBy({ name });
    if (!row) throw new NotFoundError('Chat configuration', name);
    return toChatConfigurationView(row);
  }
}
