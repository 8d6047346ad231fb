import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  DEFAULT_SEND_STATS_TIME_ZONE,
  MAX_SEND_STATS_BUCKETS,
  SEND_STATS_INTERVALS,
  SendStatsQuery,
  type SendStatsResponse,
} from '@dingrelay/contracts';
import { GetSendStatsUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';

const TIME = 'ISO-8601 with an offset, e.g. 2026-11-01T00:00:00Z or 2026-11-01T08:00:00+08:00';

/** The query parameters, for /docs (SendStatsQuery validates them), in the order a reader fills them in. */
const SendStatsQueryDocs = () =>
  applyDecorators(
    ApiQuery({ name: 'createdFrom', required: true, type: 'string', description: `Inclusive; ${TIME}` }),
    ApiQuery({ name: 'createdTo', required: true, type: 'string', description: `Exclusive; ${TIME}` }),
    ApiQuery({
      name: 'interval',
      required: true,
      enum: [...SEND_STATS_INTERVALS],
      enumName: 'SendStatsInterval',
      description: `At most ${MAX_SEND_STATS_BUCKETS.hour} hour or ${MAX_SEND_STATS_BUCKETS.day} day buckets per request`,
    }),
    ApiQuery({
      name: 'timeZone',
      required: false,
      type: 'string',
      description: `IANA name (Area/Location, or UTC) the buckets are cut in; day buckets start at its local midnight. Default ${DEFAULT_SEND_STATS_TIME_ZONE}`,
    }),
    ApiQuery({
      name: 'chatConfiguration',
      required: false,
      type: 'string',
      description:
        'Sends made under this name, through whichever configuration had it (a deleted one too). A sender key counts only those ' +
        'through the configuration that has the name now',
    }),
  );

/** Statistics over the send history: what an overview chart draws. */
@ApiTags('stats')
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly getSendStats: GetSendStatsUseCase) {}

  @Get('sends')
  @Access('sends.read', { senderScope: { configurationFilter: 'chatConfiguration' } })
  @ApiOperation({ operationId: 'getSendStats', summary: 'Sends per status in hour or local-day buckets, with their recipients and lost-answer calls; senders see their configurations only' })
  @SendStatsQueryDocs()
  @ApiResponse({ status: 200, description: 'Every bucket of the range, empty ones included, and the totals', schema: schemaRef('SendStats') })
  @ApiErrorResponse(400, 'A parameter is missing or invalid, the zone unknown, or the range over the bucket limit; details name the field')
  async sends(@Query() query: SendStatsQuery, @CurrentPrincipal() principal: Principal): Promise<SendStatsResponse> {
    return this.getSendStats.execute({
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
      interval: query.interval,
      timeZone: query.timeZone ?? DEFAULT_SEND_STATS_TIME_ZONE,
      chatConfiguration: query.chatConfiguration,
      readableConfigurations: principal.chatConfigurations,
    });
  }
}
