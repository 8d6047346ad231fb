import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE, type InboundMessagePage, ListInboundMessagesQuery, MAX_PAGE_SIZE, pageRequest } from '@dingrelay/contracts';
import { type InboundMessageView, ListInboundMessagesUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiPageQuery } from '../openapi/page.schemas.js';

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
  @ApiOperation({ operationId: 'listInboundMessages', summary: 'Inbound messages, newest first; filters and keyset pages (maxResults, nextToken)' })
  @ApiQuery({ name: 'chatConfiguration', required: false, type: 'string' })
  @ApiQuery({ name: 'senderStaffId', required: false, type: 'string', description: "The sender's userId" })
  @ApiQuery({ name: 'msgtype', required: false, type: 'string', description: 'text, richText, picture, audio, video or file' })
  @ApiQuery({ name: 'conversationId', required: false, type: 'string' })
  @ApiQuery({ name: 'createdFrom', required: false, type: 'string', description: 'Sent at or after; ISO-8601 with an offset' })
  @ApiQuery({ name: 'createdTo', required: false, type: 'string', description: 'Sent before (exclusive); ISO-8601 with an offset' })
  @ApiPageQuery({ max: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last', schema: schemaRef('InboundMessagePage') })
  @ApiErrorResponse(400, 'A filter or the page token is invalid; details name it')
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
