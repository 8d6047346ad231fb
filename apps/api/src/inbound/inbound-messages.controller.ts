import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type InboundMessagePage, ListInboundMessagesQuery, pageRequest } from '@dingrelay/contracts';
import { type InboundMessageView, ListInboundMessagesUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { apiErrorSchema } from '../openapi/send.schemas.js';

function present(m: InboundMessageView): InboundMessagePage['items'][number] {
  return {
    id: m.id,
    chatConfiguration: m.chatConfiguration,
    msgId: m.msgId,
    msgtype: m.msgtype,
    text: m.textContent,
    content: m.content,
    conversationId: m.conversationId,
    conversationType: m.conversationType,
    conversationTitle: m.conversationTitle,
    senderStaffId: m.senderStaffId,
    senderId: m.senderId,
    senderNick: m.senderNick,
    senderCorpId: m.senderCorpId,
    robotCode: m.robotCode,
    isInAtList: m.isInAtList,
    createAt: m.createAt.toISOString(),
    receivedAt: m.receivedAt.toISOString(),
  };
}

/** Messages users sent the robots, for auditors. */
@ApiTags('inbound-messages')
@Controller('v1/inbound-messages')
export class InboundMessagesController {
  constructor(private readonly list: ListInboundMessagesUseCase) {}

  @Get()
  @Access('records.read')
  @ApiOperation({ summary: 'Inbound messages, newest first; filters and keyset pages (maxResults, nextToken)' })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last' })
  @ApiResponse({ status: 400, description: 'A filter or the page token is invalid; details name it', schema: apiErrorSchema })
  async get(@Query() query: ListInboundMessagesQuery): Promise<InboundMessagePage> {
    const page = await this.list.execute({
      chatConfiguration: query.chatConfiguration,
      senderStaffId: query.senderStaffId,
      msgtype: query.msgtype,
      conversationId: query.conversationId,
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
      ...pageRequest(query),
    });
    return { items: page.items.map(present), nextToken: page.nextToken };
  }
}
