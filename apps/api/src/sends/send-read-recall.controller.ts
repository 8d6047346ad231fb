import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { RecallSendResponse, RefreshReadStatusResponse } from '@dingrelay/contracts';
import {
  type AuditActor,
  GetSendStatusUseCase,
  sendIdOrNotFound,
  RefreshReadStatusUseCase,
  RequestRecallUseCase,
} from '@dingrelay/domain';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { IDEMPOTENT_REPLAYED, locationHeader } from '../openapi/response-headers.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { presentSendStatus } from './send.presenter.js';

const sendId = sendIdOrNotFound;

/**
 * Read tracking and recall of a send. Both only record what the worker is to do (the API never calls DingTalk) and
 * answer 202; progress shows on `GET /v1/sends/:id` (`read`, `recall`) and per recipient.
 */
@ApiTags('sends')
@Controller('v1/sends')
export class SendReadRecallController {
  constructor(
    private readonly requestRecall: RequestRecallUseCase,
    private readonly refreshReadStatus: RefreshReadStatusUseCase,
    private readonly getSendStatus: GetSendStatusUseCase,
  ) {}

  @Post(':id/recall')
  @Access('sends.write', { senderScope: { send: 'id' } })
  @HttpCode(202)
  @ApiOperation({
    operationId: 'recallSend',
    summary: "Recall the send's delivered messages (DingTalk allows it within 24 h of sending); unsent batches are cancelled first",
    description:
      'The worker calls DingTalk batchRecall with at most 20 processQueryKeys per call. Batches in flight are recalled once ' +
      'they settle; batches sent more than 24 h ago end recall failed with reason `expired`. Asking again is a replay: ' +
      '202 with `replayed: true` and the first request\'s progress, and header Idempotent-Replayed: true.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({
    status: 202,
    description: 'Recall recorded; follow `send.recall` on GET /v1/sends/:id',
    schema: schemaRef('RecallSendResponse'),
    headers: { ...IDEMPOTENT_REPLAYED, ...locationHeader('The send, GET /v1/sends/{id}') },
  })
  @ApiErrorResponse(404, 'No such send')
  @ApiErrorResponse(
    409,
    "Nothing to recall: every delivered message is older than 24 h, or none was delivered; or the send's chat configuration was " +
      'deleted since (one re-created under its name is another app, which never recalls it)',
  )
  async recall(
    @Param('id') id: string,
    @CurrentActor() actor: AuditActor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecallSendResponse> {
    const result = await this.requestRecall.execute(id, actor);
    res.setHeader('Location', `/v1/sends/${sendId(id)}`);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const { requestedAt: _requestedAt, ...counts } = result;
    return { id: sendId(id), ...counts, send: presentSendStatus(await this.getSendStatus.execute(sendId(id))) };
  }

  @Post(':id/read-status/refresh')
  @Access('sends.write', { senderScope: { send: 'id' } })
  @HttpCode(202)
  @ApiOperation({
    operationId: 'refreshReadStatus',
    summary: 'Poll DingTalk readStatus now for every batch that still has unread recipients within 24 h of sending',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 202, description: 'Polls made due; the worker runs them within its scan interval', schema: schemaRef('RefreshReadStatusResponse') })
  @ApiErrorResponse(404, 'No such send')
  @ApiErrorResponse(409, "Nothing left to poll (past 24 h, nothing delivered, recalled, or everyone read), or the send's chat configuration was deleted since")
  async refresh(@Param('id') id: string, @CurrentActor() actor: AuditActor): Promise<RefreshReadStatusResponse> {
    // The use-case sees the id as given, so a refusal (even of an id that is no UUID) is audited.
    const result = await this.refreshReadStatus.execute(id, actor);
    return { id: sendId(id), ...result };
  }
}
