import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type UsageResponse, UsageQuery } from '@dingrelay/contracts';
import { type ChatConfigurationRef, DEFAULT_CHAT_CONFIGURATION, GetUsageUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { apiErrorSchema } from '../openapi/send.schemas.js';

@ApiTags('usage')
@Controller('v1/usage')
export class UsageController {
  constructor(
    private readonly getUsage: GetUsageUseCase,
    @Inject(DEFAULT_CHAT_CONFIGURATION) private readonly defaultConfiguration: ChatConfigurationRef,
  ) {}

  @Get()
  @Access('records.read')
  @ApiOperation({ summary: 'DingTalk calls, recipients and throttles per chat configuration for a month, against the quota' })
  @ApiResponse({ status: 200, description: 'Usage per configuration, with any delivery pause' })
  @ApiResponse({ status: 400, description: 'month is not YYYY-MM', schema: apiErrorSchema })
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
