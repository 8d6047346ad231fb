import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type HistoryPage,
  ListSendsQuery,
  ListUserRecipientsQuery,
  pageRequest,
  type RecipientHistoryItem,
  type SendHistoryItem,
} from '@dingrelay/contracts';
import { ListSendsUseCase, ListUserRecipientsUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { apiErrorSchema } from '../openapi/send.schemas.js';
import { HistoryQueryDocs } from './history.openapi.js';

/**
 * The auditor's history, paged newest first. `GET /v1/sends` is the collection itself, so it cannot collide with
 * `GET /v1/sends/:id`; the exports live under `/v1/exports/…` for the same reason.
 */
@ApiTags('history')
@Controller('v1')
export class HistoryController {
  constructor(
    private readonly listSends: ListSendsUseCase,
    private readonly listUserRecipients: ListUserRecipientsUseCase,
  ) {}

  @Get('sends')
  @Access('records.read')
  @HistoryQueryDocs.listSends()
  @ApiOperation({ summary: 'Sends newest first, filtered; paged with maxResults (1-1000) and nextToken' })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last' })
  @ApiResponse({ status: 400, description: 'A filter or the token is invalid; details name the field', schema: apiErrorSchema })
  async sends(@Query() query: ListSendsQuery): Promise<HistoryPage<SendHistoryItem>> {
    return this.listSends.execute({
      ...pageRequest(query),
      chatConfiguration: query.chatConfiguration,
      robotCode: query.robotCode,
      msgKey: query.msgKey,
      status: query.status,
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
      requester: query.requester,
      idempotencyKey: query.idempotencyKey,
    });
  }

  @Get('recipients')
  @Access('records.read')
  @HistoryQueryDocs.listRecipients()
  @ApiOperation({ summary: 'Everything one user was sent, newest first, with outcome, read and recall state' })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last' })
  @ApiResponse({ status: 400, description: 'userId missing, a filter or the token invalid', schema: apiErrorSchema })
  async recipients(@Query() query: ListUserRecipientsQuery): Promise<HistoryPage<RecipientHistoryItem>> {
    return this.listUserRecipients.execute({
      ...pageRequest(query),
      userId: query.userId,
      chatConfiguration: query.chatConfiguration,
      robotCode: query.robotCode,
      msgKey: query.msgKey,
      status: query.status,
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
    });
  }
}
