import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type UsageResponse, UsageQuery } from '@dingrelay/contracts';
import { type ChatConfigurationRef, DEFAULT_CHAT_CONFIGURATION, GetUsageUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';

@ApiTags('usage')
@Controller('v1/usage')
export class UsageController {
  constructor(
    private readonly getUsage: GetUsageUseCase,
    @Inject(DEFAULT_CHAT_CONFIGURATION) private readonly defaultConfiguration: ChatConfigurationRef,
  ) {}

  @Get()
  @Access('records.read')
  @ApiOperation({ operationId: 'getUsage', summary: 'DingTalk calls, recipients and throttles per chat configuration for a month, against the quota' })
  @ApiQuery({ name: 'month', required: false, type: 'string', description: 'YYYY-MM; the current month when absent', example: '2026-11' })
  @ApiResponse({ status: 200, description: 'Usage per configuration, with any delivery pause', schema: schemaRef('Usage') })
  @ApiErrorResponse(400, 'month is not YYYY-MM')
  async usage(@Query() query: UsageQuery): Promise<UsageResponse> {
    const view = await this.getUsage.execute({ month: query.month, include: [this.defaultConfiguration.name] });
    return {
      month: view.month,
      timeZone: view.timeZone,
      configurations: view.configurations.map((c) => ({
        ...c,
        pause: c.pause ? { ...c.pause, since: c.pause.since.toISOString(), until: c.pause.until.toISOString() } : null,
      })),
    };
  }
}
