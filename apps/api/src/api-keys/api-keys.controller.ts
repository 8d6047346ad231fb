import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type ApiKeyListResponse,
  type ApiKeyResponse,
  CreateApiKeyRequest,
  DEFAULT_API_KEYS_PAGE_SIZE,
  MAX_API_KEYS_PAGE_SIZE,
  type CreatedApiKeyResponse,
  ListApiKeysQuery,
} from '@dingrelay/contracts';
import {
  type AuditActor,
  CreateApiKeyUseCase,
  GetApiKeyUseCase,
  ListApiKeysUseCase,
  RevokeApiKeyUseCase,
} from '@dingrelay/domain';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiPageQuery } from '../openapi/page.schemas.js';
import { locationHeader } from '../openapi/response-headers.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { presentApiKey, presentApiKeyPage } from './api-key.presenter.js';
import { DEFAULT_CONFIGURATION_NAME } from './default-configuration-name.js';

/** Admins manage keys; any key may read itself (`current`). Each route states its rule, none is inherited. */
@ApiTags('api-keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly createApiKey: CreateApiKeyUseCase,
    private readonly listApiKeys: ListApiKeysUseCase,
    private readonly getApiKey: GetApiKeyUseCase,
    private readonly revokeApiKey: RevokeApiKeyUseCase,
    @Inject(DEFAULT_CONFIGURATION_NAME) private readonly defaultConfiguration: string,
  ) {}

  @Post()
  @Access('admin')
  @HttpCode(201)
  @ApiOperation({ operationId: 'createApiKey', summary: 'Issue an API key; the key is in this response only and never shown again' })
  @ApiBody({ schema: schemaRef('CreateApiKeyRequest') })
  @ApiResponse({ status: 201, description: 'Created; `key` is the secret', schema: schemaRef('CreatedApiKey'), headers: locationHeader('The key, GET /v1/api-keys/{id}') })
  @ApiErrorResponse(400, 'Invalid request; details name each field')
  async create(
    @Body() body: CreateApiKeyRequest,
    @CurrentActor() actor: AuditActor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreatedApiKeyResponse> {
    const created = await this.createApiKey.execute({
      name: body.name,
      role: body.role,
      chatConfigurations: body.chatConfigurations ?? null,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      defaultChatConfiguration: this.defaultConfiguration,
      actor,
    });
    res.setHeader('Location', `/v1/api-keys/${created.apiKey.id}`);
    res.setHeader('Cache-Control', 'no-store');
    return { ...presentApiKey(created.apiKey), key: created.key };
  }

  @Get()
  @Access('admin')
  @ApiOperation({ operationId: 'listApiKeys', summary: 'API keys, oldest first, paged with maxResults and nextToken; never their secrets' })
  @ApiPageQuery({ max: MAX_API_KEYS_PAGE_SIZE, default: DEFAULT_API_KEYS_PAGE_SIZE })
  @ApiResponse({ status: 200, description: 'One page; nextToken is null on the last', schema: schemaRef('ApiKeyPage') })
  @ApiErrorResponse(400, 'The page size or token is invalid; details name it')
  async list(@Query() query: ListApiKeysQuery): Promise<ApiKeyListResponse> {
    return presentApiKeyPage(await this.listApiKeys.execute({ maxResults: query.maxResults, nextToken: query.nextToken }));
  }

  // Declared before `:id`, so that Express matches it first.
  @Get('current')
  @Access('identity.read', { senderScope: { self: true } })
  @ApiOperation({ operationId: 'getCurrentApiKey', summary: 'The API key making this request: its role, scope and expiry, for any role; never its secret' })
  @ApiResponse({ status: 200, description: 'The calling key, as GET /v1/api-keys/{id} shows it', schema: schemaRef('ApiKey') })
  async current(@CurrentPrincipal() principal: Principal): Promise<ApiKeyResponse> {
    return presentApiKey(await this.getApiKey.execute(principal.apiKeyId));
  }

  @Get(':id')
  @Access('admin')
  @ApiOperation({ operationId: 'getApiKey', summary: 'One API key, without its secret' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The key (never its secret)', schema: schemaRef('ApiKey') })
  @ApiErrorResponse(404, 'No such key')
  async get(@Param('id') id: string): Promise<ApiKeyResponse> {
    return presentApiKey(await this.getApiKey.execute(id));
  }

  @Post(':id/revoke')
  @Access('admin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke a key at once; revoking a revoked key changes nothing' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The key, now revoked', schema: schemaRef('ApiKey') })
  @ApiErrorResponse(404, 'No such key')
  @ApiErrorResponse(409, 'The last active admin key')
  async revoke(@Param('id') id: string, @CurrentActor() actor: AuditActor): Promise<ApiKeyResponse> {
    return presentApiKey(await this.revokeApiKey.execute({ id, actor }));
  }
}
