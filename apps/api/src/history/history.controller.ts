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
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { HistoryQueryDocs } from './history.openapi.js';

/**
 * The history, paged newest first. `GET /v1/sends` is the collection itself, so it cannot collide with
 * `GET /v1/sends/:id`; the exports live under `/v1/exports/…` for the same reason. Admins and auditors see every
 * send; a sender only those through its configurations (a `chatConfiguration` filter naming another is a 403).
 */
@ApiTags('history')
@Controller('v1')
export class HistoryController {
  constructor(
    private readonly listSends: ListSendsUseCase,
    private readonly listUserRecipients: ListUserRecipientsUseCase,
  ) {}

  @Get('sends')
  @Access('sends.read', { senderScope: { configurationFilter: 'chatConfiguration' } })
  @HistoryQueryDocs.listSends()
  @ApiOperation({ operationId: 'listSends', summary: 'Sends newest first, filtered; paged with maxResults (1-1000) and nextToken; senders see their configurations only' })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last', schema: schemaRef('SendHistoryPage') })
  @ApiErrorResponse(400, 'A filter or the token is invalid; details name the field')
  async sends(@Query() query: ListSendsQuery, @CurrentPrincipal() principal: Principal): Promise<HistoryPage<SendHistoryItem>> {
    return this.listSends.execute({
      ...pageRequest(query),
      readableConfigurations: principal.chatConfigurations,
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
  @Access('sends.read', { senderScope: { configurationFilter: 'chatConfiguration' } })
  @HistoryQueryDocs.listRecipients()
  @ApiOperation({ operationId: 'listRecipientHistory', summary: 'Everything one user was sent, newest first, with outcome, read and recall state; senders see their configurations only' })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last', schema: schemaRef('RecipientHistoryPage') })
  @ApiErrorResponse(400, 'userId missing, a filter or the token invalid')
  async recipients(@Query() query: ListUserRecipientsQuery, @CurrentPrincipal() principal: Principal): Promise<HistoryPage<RecipientHistoryItem>> {
    return this.listUserRecipients.execute({
      ...pageRequest(query),
      readableConfigurations: principal.chatConfigurations,
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
