import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type CreateSendResponse,
  CreateSendRequest,
  type ListRecipientsResponse,
  ListRecipientsQuery,
  RECIPIENT_STATUSES,
  type SendStatusResponse,
} from '@dingrelay/contracts';
import { CreateSendUseCase, GetSendStatusUseCase, ListRecipientsUseCase, NotFoundError } from '@dingrelay/domain';
import type { Response } from 'express';
import {
  apiErrorSchema,
  createSendRequestSchema,
  createSendResponseSchema,
  recipientPageQuery,
  recipientPageSchema,
  sendStatusResponseSchema,
} from '../openapi/send.schemas.js';
import { presentRecipientPage, presentSendStatus } from './send.presenter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not even a UUID names no send: the same 404 as an unknown one. */
function sendId(id: string): string {
  if (!UUID.test(id)) throw new NotFoundError('Send', id);
  return id.toLowerCase();
}

@ApiTags('sends')
@Controller('v1/sends')
export class SendsController {
  constructor(
    private readonly createSend: CreateSendUseCase,
    private readonly getSendStatus: GetSendStatusUseCase,
    private readonly listRecipients: ListRecipientsUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Accept a message for up to 100,000 users; delivery happens in the background' })
  @ApiBody({ schema: createSendRequestSchema() })
  @ApiResponse({ status: 202, description: 'Recorded and queued; poll statusUrl for progress', schema: createSendResponseSchema })
  @ApiResponse({ status: 400, description: 'Invalid request; details name each field', schema: apiErrorSchema })
  @ApiResponse({ status: 413, description: 'Body over the size limit', schema: apiErrorSchema })
  @ApiResponse({ status: 415, description: 'Body not sent as application/json', schema: apiErrorSchema })
  async create(@Body() body: CreateSendRequest, @Res({ passthrough: true }) res: Response): Promise<CreateSendResponse> {
    const send = await this.createSend.execute({
      userIds: body.userIds,
      msgKey: body.msgKey,
      msgParam: body.msgParam,
      deliveryPolicy: body.deliveryPolicy,
    });
    const statusUrl = `/v1/sends/${send.id}`;
    res.setHeader('Location', statusUrl);
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
  @ApiOperation({ summary: "A send's status and its recipients counted per status" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'Progress', schema: sendStatusResponseSchema })
  @ApiResponse({ status: 404, description: 'No such send', schema: apiErrorSchema })
  async status(@Param('id') id: string): Promise<SendStatusResponse> {
    return presentSendStatus(await this.getSendStatus.execute(sendId(id)));
  }

  @Get(':id/recipients')
  @ApiOperation({ summary: "Each recipient's outcome, paged with maxResults and nextToken" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'status', required: false, enum: RECIPIENT_STATUSES })
  @ApiQuery({ name: 'maxResults', required: false, type: 'integer', ...recipientPageQuery.maxResults })
  @ApiQuery({ name: 'nextToken', required: false, type: 'string' })
  @ApiResponse({ status: 200, description: 'One page', schema: recipientPageSchema })
  @ApiResponse({ status: 404, description: 'No such send', schema: apiErrorSchema })
  async recipients(@Param('id') id: string, @Query() query: ListRecipientsQuery): Promise<ListRecipientsResponse> {
    const page = await this.listRecipients.execute({
      sendId: sendId(id),
      status: query.status,
      maxResults: query.maxResults ?? 100,
      nextToken: query.nextToken,
    });
    return presentRecipientPage(page);
  }
}
