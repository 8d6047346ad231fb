import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AUDIT_OUTCOMES, type AuditEventPage, ListAuditEventsQuery, MAX_PAGE_SIZE, pageRequest } from '@dingrelay/contracts';
import { ListAuditEventsUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { presentAuditEventPage } from './audit-event.presenter.js';

@ApiTags('audit')
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(private readonly listAuditEvents: ListAuditEventsUseCase) {}

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
}
