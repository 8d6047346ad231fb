import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorCode,
  type CancelSendResponse,
  type CreateSendResponse,
  CreateSendRequest,
  type ListRecipientsResponse,
  ListRecipientsQuery,
  ListSendEventsQuery,
  pageRequest,
  type SendEventPage,
  RECIPIENT_STATUSES,
  type SendStatusResponse,
} from '@dingrelay/contracts';
import {
  type AuditActor,
  CancelSendUseCase,
  CreateSendUseCase,
  GetSendStatusUseCase,
  ListRecipientsUseCase,
  ListSendEventsUseCase,
  sendIdOrNotFound,
} from '@dingrelay/domain';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import { ApiException } from '../http/api.exception.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { presentSendEventPage } from '../audit/audit-event.presenter.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { IDEMPOTENT_REPLAYED, locationHeader } from '../openapi/response-headers.js';
import { recipientPageQuery } from '../openapi/send.schemas.js';
import { presentRecipientPage, presentSendStatus } from './send.presenter.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Printable ASCII without spaces, up to 255 characters: what clients put in headers in practice (UUIDs, hashes). */
function idempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new ApiException(400, ApiErrorCode.ValidationFailed, 'Invalid Idempotency-Key header', [
      { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters without spaces' },
    ]);
  }
  return value;
}

const sendId = sendIdOrNotFound;

@ApiTags('sends')
@Controller('v1/sends')
export class SendsController {
  constructor(
    private readonly createSend: CreateSendUseCase,
    private readonly cancelSend: CancelSendUseCase,
    private readonly getSendStatus: GetSendStatusUseCase,
    private readonly listRecipients: ListRecipientsUseCase,
    private readonly listSendEvents: ListSendEventsUseCase,
  ) {}

  @Post()
  @Access('sends.write', { senderScope: { configurationInBody: 'chatConfiguration' } })
  @HttpCode(202)
  @ApiOperation({ operationId: 'createSend', summary: 'Accept a message for up to 100,000 users; delivery happens in the background' })
  @ApiBody({ schema: schemaRef('CreateSendRequest') })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retry-safe creation, scoped to the chat configuration: the same key and body through the same configuration return the first send ' +
      '(Idempotent-Replayed: true); another body → 409. The same key through another configuration is a new send, and so is a ' +
      'configuration re-created under a deleted one\'s name',
  })
  @ApiResponse({ status: 202, description: 'Recorded and queued; poll statusUrl for progress', schema: schemaRef('CreateSendResponse'), headers: { ...IDEMPOTENT_REPLAYED, ...locationHeader('The send status URL (statusUrl)') } })
  @ApiErrorResponse(400, 'Invalid request; details name each field')
  @ApiErrorResponse(413, 'Body over the size limit')
  @ApiErrorResponse(409, 'Idempotency-Key already used with a different body')
  @ApiErrorResponse(415, 'Body not sent as application/json')
  async create(
    @Body() body: CreateSendRequest,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentActor() actor: AuditActor,
  ): Promise<CreateSendResponse> {
    const send = await this.createSend.execute({
      userIds: body.userIds,
      msgKey: body.msgKey,
      msgParam: body.msgParam,
      deliveryPolicy: body.deliveryPolicy,
      chatConfiguration: body.chatConfiguration,
      idempotencyKey: idempotencyKey(idempotencyKeyHeader),
      actor,
    });
    const statusUrl = `/v1/sends/${send.id}`;
    res.setHeader('Location', statusUrl);
    if (send.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return {
      id: send.id,
      status: send.status,
      recipients: { accepted: send.recipients, duplicatesRemoved: send.duplicatesRemoved },
      batches: send.batches,
      deliveryPolicy: send.deliveryPolicy,
      statusUrl,
    };
  }

  @Get(':id')
  @Access('sends.read', { senderScope: { send: 'id' } })
  @ApiOperation({ operationId: 'getSend', summary: "A send's status and its recipients counted per status" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'Progress', schema: schemaRef('SendStatusResponse') })
  @ApiErrorResponse(404, 'No such send')
  async status(@Param('id') id: string): Promise<SendStatusResponse> {
    return presentSendStatus(await this.getSendStatus.execute(sendId(id)));
  }

  @Post(':id/cancel')
  @Access('sends.write', { senderScope: { send: 'id' } })
  @HttpCode(200)
  @ApiOperation({ operationId: 'cancelSend', summary: 'Stop every batch not yet sent; their recipients become cancelled' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'Cancelled; batches already in flight finish as DingTalk answers', schema: schemaRef('CancelSendResponse') })
  @ApiErrorResponse(404, 'No such send')
  @ApiErrorResponse(409, 'The send had already completed')
  async cancel(@Param('id') id: string, @CurrentActor() actor: AuditActor): Promise<CancelSendResponse> {
    const result = await this.cancelSend.execute(id, actor);
    return { id: sendId(id), ...result, send: presentSendStatus(await this.getSendStatus.execute(sendId(id))) };
  }

  @Get(':id/recipients')
  @Access('sends.read', { senderScope: { send: 'id' } })
  @ApiOperation({ operationId: 'listSendRecipients', summary: "Each recipient's outcome, paged with maxResults and nextToken" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'status', required: false, enum: RECIPIENT_STATUSES, enumName: 'RecipientStatus' })
  @ApiQuery({ name: 'maxResults', required: false, type: 'integer', ...recipientPageQuery.maxResults })
  @ApiQuery({ name: 'nextToken', required: false, type: 'string' })
  @ApiResponse({ status: 200, description: 'One page', schema: schemaRef('RecipientPage') })
  @ApiErrorResponse(404, 'No such send')
  @ApiErrorResponse(410, "The send's per-recipient detail was purged by retention")
  async recipients(@Param('id') id: string, @Query() query: ListRecipientsQuery): Promise<ListRecipientsResponse> {
    const page = await this.listRecipients.execute({
      sendId: sendId(id),
      status: query.status,
      maxResults: query.maxResults ?? 100,
      nextToken: query.nextToken,
    });
    return presentRecipientPage(page);
  }

  @Get(':id/events')
  @Access('sends.read', { senderScope: { send: 'id' } })
  @ApiOperation({ operationId: 'listSendEvents', summary: "The send's timeline, oldest first: accepted, each batch attempt and DingTalk's answer, retries, cancel, completion" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'maxResults', required: false, type: 'integer', ...recipientPageQuery.maxResults, description: 'Also MaxResults' })
  @ApiQuery({ name: 'nextToken', required: false, type: 'string', description: 'Also NextToken' })
  @ApiResponse({ status: 200, description: 'One page of events; nextToken is null on the last', schema: schemaRef('SendEventPage') })
  @ApiErrorResponse(404, 'No such send')
  async events(@Param('id') id: string, @Query() query: ListSendEventsQuery): Promise<SendEventPage> {
    return presentSendEventPage(await this.listSendEvents.execute({ sendId: sendId(id), ...pageRequest(query) }));
  }
}
