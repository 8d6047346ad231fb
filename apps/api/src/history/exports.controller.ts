import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExportRecipientsQuery, ExportSendsQuery } from '@dingrelay/contracts';
import { ExportHistoryUseCase } from '@dingrelay/domain';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { ApiExportFileResponse, HistoryQueryDocs } from './history.openapi.js';
import { exportFile, sendExport } from './export-response.js';

/** Why an export can be refused with 429, besides the per-key request rate. */
export const EXPORT_BUSY =
  'Too many requests with this key, or EXPORTS_AT_ONCE exports are running on this server, or this key already runs EXPORTS_PER_KEY; see Retry-After';

/** The history filters as one streamed file (CSV or NDJSON), however many rows match. */
@ApiTags('history')
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exportHistory: ExportHistoryUseCase) {}

  @Get('sends')
  @Access('records.read')
  @HistoryQueryDocs.exportSends()
  @ApiOperation({ operationId: 'exportSends', summary: 'Every matching send as a CSV (default) or NDJSON download, newest first' })
  @ApiExportFileResponse('SendHistoryItem')
  @ApiErrorResponse(400, 'A filter is invalid')
  @ApiErrorResponse(429, EXPORT_BUSY)
  async sends(@Query() query: ExportSendsQuery, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const { format, bom, ...filter } = query;
    const file = exportFile({ format, bom }, req);
    await sendExport(res, await this.exportHistory.sends(filter, file.format, { apiKeyId: req.principal!.apiKeyId }), 'sends', file);
  }

  @Get('recipients')
  @Access('records.read')
  @HistoryQueryDocs.exportRecipients()
  @ApiOperation({ operationId: 'exportRecipients', summary: 'Every matching recipient row (one user, or all) as a CSV or NDJSON download' })
  @ApiExportFileResponse('RecipientHistoryItem')
  @ApiErrorResponse(400, 'A filter is invalid')
  @ApiErrorResponse(429, EXPORT_BUSY)
  async recipients(@Query() query: ExportRecipientsQuery, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const { format, bom, ...filter } = query;
    const file = exportFile({ format, bom }, req);
    await sendExport(res, await this.exportHistory.recipients(filter, file.format, { apiKeyId: req.principal!.apiKeyId }), 'recipients', file);
  }
}
