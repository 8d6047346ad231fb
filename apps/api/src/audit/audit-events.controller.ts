import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AUDIT_OUTCOMES,
  type AuditChainVerification,
  type AuditEventPage,
  ListAuditEventsQuery,
  MAX_PAGE_SIZE,
  pageRequest,
  VerifyAuditChainQuery,
} from '@dingrelay/contracts';
import { ListAuditEventsUseCase, VerifyAuditChainUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { presentAuditEventPage } from './audit-event.presenter.js';

@ApiTags('audit')
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(
    private readonly listAuditEvents: ListAuditEventsUseCase,
    private readonly verifyAuditChain: VerifyAuditChainUseCase,
  ) {}

  @Get()
  @Access('records.read')
  @ApiOperation({ operationId: 'listAuditEvents', summary: 'The audit log, newest first: every state-changing call and scheduled purge, with its outcome' })
  @ApiQuery({ name: 'action', required: false, description: 'e.g. send.create, send.cancel, retention.purge' })
  @ApiQuery({ name: 'actorKeyId', required: false, description: 'The API key that acted (UUID)' })
  @ApiQuery({ name: 'targetType', required: false, description: 'e.g. send' })
  @ApiQuery({ name: 'targetId', required: false })
  @ApiQuery({ name: 'outcome', required: false, enum: AUDIT_OUTCOMES, enumName: 'AuditOutcome' })
  @ApiQuery({ name: 'from', required: false, description: 'At or after, ISO-8601 with offset' })
  @ApiQuery({ name: 'to', required: false, description: 'Before (exclusive), ISO-8601 with offset' })
  @ApiQuery({ name: 'maxResults', required: false, type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, description: 'Also MaxResults' })
  @ApiQuery({ name: 'nextToken', required: false, description: 'Also NextToken' })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last', schema: schemaRef('AuditEventPage') })
  @ApiErrorResponse(400, 'A filter or the page token is invalid; details name it')
  async list(@Query() query: ListAuditEventsQuery): Promise<AuditEventPage> {
    const page = await this.listAuditEvents.execute({
      action: query.action,
      actorKeyId: query.actorKeyId,
      targetType: query.targetType,
      targetId: query.targetId,
      outcome: query.outcome,
      from: query.from,
      to: query.to,
      ...pageRequest(query),
    });
    return presentAuditEventPage(page);
  }

  @Get('verify')
  @Access('records.read')
  @ApiOperation({
    operationId: 'verifyAuditChain',
    summary: 'Recompute the audit log\'s hash chain and name its first broken link',
    description:
      'Reads every event from the first, in keyset pages, and checks that each hashes to what it stores and points at the ' +
      'one before; with a digest the worker published (digestCount and digestHash, optionally digestAt and digestSignature), ' +
      'also that the chain still reaches it unchanged, which detects a rewritten and re-hashed or a truncated tail. ' +
      'Answers 200 either way: `intact` says which. Takes time in proportion to the log.',
  })
  @ApiQuery({ name: 'digestCount', required: false, type: 'integer', minimum: 0, description: 'The digest\'s count; with digestHash' })
  @ApiQuery({ name: 'digestHash', required: false, description: 'The digest\'s hash (64 hex digits); with digestCount' })
  @ApiQuery({ name: 'digestAt', required: false, description: 'The digest\'s at, to check its signature' })
  @ApiQuery({ name: 'digestSignature', required: false, description: 'The digest\'s signature (HMAC-SHA256, hex), checked when the API has AUDIT_DIGEST_KEY' })
  @ApiResponse({ status: 200, description: 'The verdict, with the first broken link if any', schema: schemaRef('AuditChainVerification') })
  @ApiErrorResponse(400, 'A digest field is invalid; details name it')
  async verify(@Query() query: VerifyAuditChainQuery): Promise<AuditChainVerification> {
    const digest =
      query.digestCount !== undefined && query.digestHash !== undefined
        ? { count: query.digestCount, hash: query.digestHash, at: query.digestAt, signature: query.digestSignature }
        : undefined;
    return this.verifyAuditChain.execute({ digest });
  }
}
