import { Body, Controller, Get, Head, HttpCode, HttpStatus, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorCode,
  CreateExportLinkRequest,
  type ExportLinkResponse,
  type ExportRecipientsFilter,
  type ExportSendsFilter,
} from '@dingrelay/contracts';
import {
  annotateRequestContext,
  CreateExportLinkUseCase,
  ExportHistoryUseCase,
  type ExportLinkRequest,
  type ExportSlot,
  RedeemExportLinkUseCase,
} from '@dingrelay/domain';
import type { Response } from 'express';
import { Access, Public } from '../auth/access.decorator.js';
import { ApiKeyStillAllowed } from '../auth/api-key-still-allowed.js';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { ApiException } from '../http/api.exception.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { sendExport, setExportFileHeaders } from './export-response.js';
import { ApiExportFileResponse } from './history.openapi.js';

export const EXPORT_DOWNLOADS_PATH = '/v1/exports/downloads';

/** One message for every link that cannot be used, so the answer never tells which of these it was. */
const UNUSABLE_LINK = 'This download link is unknown, already used or expired; create a new one';

/**
 * Download links: the console (or any browser) asks for a link with its key, then hands the link to the browser's
 * own download manager, which streams the file to disk without the key ever appearing in a URL.
 */
@ApiTags('history')
@Controller()
export class ExportLinksController {
  private readonly logger = new Logger('ExportLinks');

  constructor(
    private readonly createLink: CreateExportLinkUseCase,
    private readonly redeemLink: RedeemExportLinkUseCase,
    private readonly exportHistory: ExportHistoryUseCase,
    private readonly keyStillAllowed: ApiKeyStillAllowed,
  ) {}

  @Post('v1/exports/links')
  @Access('records.read')
  @HttpCode(201)
  @ApiOperation({ operationId: 'createExportLink', summary: 'A one-time link that downloads one export without an API key, for a browser download' })
  @ApiBody({ schema: schemaRef('CreateExportLinkRequest') })
  @ApiResponse({ status: 201, description: 'The link; it works once, until expiresAt (EXPORT_LINK_TTL_MS)', schema: schemaRef('ExportLink') })
  @ApiErrorResponse(400, 'Invalid request; details name each field (filters.… inside filters)')
  async create(@Body() body: CreateExportLinkRequest, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<ExportLinkResponse> {
    const format = body.format ?? 'csv';
    const bom = body.bom === true;
    const request: ExportLinkRequest =
      body.export === 'sends'
        ? { export: 'sends', format, bom, filters: { ...(body.filters as ExportSendsFilter) } }
        : { export: 'recipients', format, bom, filters: { ...(body.filters as ExportRecipientsFilter) } };
    // The guard has run: a principal is there.
    const link = await this.createLink.execute(req.principal!.apiKeyId, request);
    res.setHeader('Cache-Control', 'no-store');
    return { url: `${EXPORT_DOWNLOADS_PATH}/${link.token}`, expiresAt: link.expiresAt.toISOString() };
  }

  // Before the GET route: Express answers a HEAD with a GET route when it finds no HEAD route first, which would
  // use the link up (a download manager probing the URL would spend it).
  @Head('v1/exports/downloads/:token')
  @Public()
  @ApiOperation({ operationId: 'probeExportDownload', summary: "What a download link's GET would answer (status and file headers), without using the link up" })
  @ApiParam({ name: 'token', description: 'From the url of POST /v1/exports/links' })
  @ApiResponse({ status: 200, description: 'The link is usable: the headers of its file' })
  @ApiErrorResponse(404, 'The link is unknown, already used or expired (not told apart)')
  @ApiErrorResponse(503, 'Redis or Postgres is busy or unreachable; see Retry-After')
  async probe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const link = await this.redeemLink.peek(token);
    if (!link || (await this.keyStillAllowed.check(link.apiKeyId, 'records.read'))) throw unusable();
    res.status(200);
    setExportFileHeaders(res, link.request.format, link.request.export);
    res.end();
  }

  @Get('v1/exports/downloads/:token')
  @Public()
  @ApiOperation({ operationId: 'downloadExport', summary: 'Download the export a link stands for: no API key, once; the file as GET /v1/exports/… streams it' })
  @ApiParam({ name: 'token', description: 'From the url of POST /v1/exports/links' })
  @ApiExportFileResponse('SendHistoryItem or RecipientHistoryItem')
  @ApiErrorResponse(404, 'The link is unknown, already used or expired (not told apart)')
  @ApiErrorResponse(503, 'Redis or Postgres is busy or unreachable; see Retry-After')
  @ApiErrorResponse(429, 'As many exports as EXPORTS_AT_ONCE are running here, or the key that created the link runs EXPORTS_PER_KEY; the link is still usable; see Retry-After')
  async download(@Param('token') token: string, @Res() res: Response): Promise<void> {
    // Unknown tokens are answered from one look in Redis, without touching this process's export places: callers
    // without a key cannot crowd out the exports of callers with one.
    const peeked = await this.redeemLink.peek(token);
    if (!peeked) throw unusable();
    // A place before the link is used up: a busy server (or a key already at EXPORTS_PER_KEY) answers 429 and the
    // link still works afterwards. The place counts against the key that created the link.
    const slot = this.exportHistory.reserveSlot(peeked.apiKeyId);
    try {
      // Atomic: of two requests racing with one token, exactly one gets past here.
      const link = await this.redeemLink.execute(token);
      if (!link) throw unusable();
      // Later log lines of this request (the access log's too) say whose link it was.
      annotateRequestContext({ apiKeyId: link.apiKeyId });
      const refusal = await this.keyStillAllowed.check(link.apiKeyId, 'records.read');
      if (refusal) {
        this.logger.warn(`a download link was refused: the key that created it ${refusal}`);
        throw unusable();
      }
      await this.stream(link.request, slot, res);
    } finally {
      // Once the export has run, its cursor has given the place back already (release is idempotent); this covers
      // every way of not getting that far.
      slot.release();
    }
  }

  private async stream(request: ExportLinkRequest, slot: ExportSlot, res: Response): Promise<void> {
    const file = { bom: request.bom };
    if (request.export === 'sends') {
      await sendExport(res, await this.exportHistory.sends(request.filters, request.format, { slot }), 'sends', file);
    } else {
      await sendExport(res, await this.exportHistory.recipients(request.filters, request.format, { slot }), 'recipients', file);
    }
  }
}

function unusable(): ApiException {
  return new ApiException(HttpStatus.NOT_FOUND, ApiErrorCode.NotFound, UNUSABLE_LINK);
}
