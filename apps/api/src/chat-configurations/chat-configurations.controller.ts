import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CHAT_CONFIGURATION_STATUSES,
  CHAT_CONFIGURATION_TYPES,
  type ChatConfigurationResponse,
  CreateChatConfigurationRequest,
  type DeleteChatConfigurationResponse,
  type ListChatConfigurationsResponse,
  ListChatConfigurationsQuery,
  DEFAULT_CHAT_CONFIGURATIONS_PAGE_SIZE,
  MAX_CHAT_CONFIGURATIONS_PAGE_SIZE,
  UpdateChatConfigurationRequest,
} from '@dingrelay/contracts';
import {
  type AuditActor,
  CreateChatConfigurationUseCase,
  DeleteChatConfigurationUseCase,
  GetChatConfigurationUseCase,
  ListChatConfigurationsUseCase,
  UpdateChatConfigurationUseCase,
} from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiPageQuery } from '../openapi/page.schemas.js';
import { presentChatConfiguration } from './chat-configuration.presenter.js';
import { toChatConfigurationChanges } from './chat-configuration.request-mapping.js';
import { PUBLIC_BASE_URL } from './public-base-url.js';

@ApiTags('chat-configurations')
@Controller('v1/chat-configurations')
export class ChatConfigurationsController {
  constructor(
    private readonly createConfiguration: CreateChatConfigurationUseCase,
    private readonly updateConfiguration: UpdateChatConfigurationUseCase,
    private readonly getConfiguration: GetChatConfigurationUseCase,
    private readonly listConfigurations: ListChatConfigurationsUseCase,
    private readonly deleteConfiguration: DeleteChatConfigurationUseCase,
    @Inject(PUBLIC_BASE_URL) private readonly publicBaseUrl: string,
  ) {}

  @Post()
  @Access('admin')
  @HttpCode(201)
  @ApiOperation({ operationId: 'createChatConfiguration', summary: 'Create a chat configuration; the response shows its generated AesKey and callback token once' })
  @ApiBody({ schema: schemaRef('CreateChatConfigurationRequest') })
  @ApiResponse({ status: 201, description: 'Created', schema: schemaRef('ChatConfiguration') })
  @ApiErrorResponse(400, 'Invalid input; details name each field')
  @ApiErrorResponse(409, 'A configuration of that name exists')
  async create(@Body() body: CreateChatConfigurationRequest, @CurrentActor() actor: AuditActor): Promise<ChatConfigurationResponse> {
    const view = await this.createConfiguration.execute({ actor, name: body.name, ...toChatConfigurationChanges(body), type: body.type });
    return presentChatConfiguration(view, this.publicBaseUrl);
  }

  @Get()
  @Access('configurations.read')
  @ApiOperation({ operationId: 'listChatConfigurations', summary: 'Chat configurations in name order, filtered by name prefix, type, status or tag (key or key=value)' })
  @ApiQuery({ name: 'name', required: false, type: 'string', description: 'Names starting with this' })
  @ApiQuery({ name: 'type', required: false, enum: [...CHAT_CONFIGURATION_TYPES], enumName: 'ChatConfigurationType' })
  @ApiQuery({ name: 'status', required: false, enum: [...CHAT_CONFIGURATION_STATUSES], enumName: 'ChatConfigurationStatus' })
  @ApiQuery({ name: 'tag', required: false, type: 'string', description: 'key (the tag is present) or key=value' })
  @ApiPageQuery({ max: MAX_CHAT_CONFIGURATIONS_PAGE_SIZE, default: DEFAULT_CHAT_CONFIGURATIONS_PAGE_SIZE })
  @ApiResponse({ status: 200, description: 'One page (secrets masked); nextToken is null on the last', schema: schemaRef('ChatConfigurationPage') })
  @ApiErrorResponse(400, 'A filter or the page token is invalid; details name it')
  async list(@Query() query: ListChatConfigurationsQuery): Promise<ListChatConfigurationsResponse> {
    const page = await this.listConfigurations.execute({
      namePrefix: query.name,
      type: query.type,
      status: query.status,
      tag: query.tag === undefined ? undefined : parseTagFilter(query.tag),
      maxResults: query.maxResults,
      nextToken: query.nextToken,
    });
    return { items: page.items.map((v) => presentChatConfiguration(v, this.publicBaseUrl)), nextToken: page.nextToken };
  }

  @Get(':name')
  @Access('configurations.read')
  @ApiOperation({ operationId: 'getChatConfiguration', summary: 'One chat configuration, its secrets masked' })
  @ApiParam({ name: 'name' })
  @ApiResponse({ status: 200, description: 'The configuration', schema: schemaRef('ChatConfiguration') })
  @ApiErrorResponse(404, 'No such configuration')
  async get(@Param('name') name: string): Promise<ChatConfigurationResponse> {
    return presentChatConfiguration(await this.getConfiguration.execute(name), this.publicBaseUrl);
  }

  @Patch(':name')
  @Access('admin')
  @ApiOperation({ operationId: 'updateChatConfiguration', summary: 'Change the fields given; null clears an optional one; a new clientSecret replaces the stored one' })
  @ApiParam({ name: 'name' })
  @ApiBody({ schema: schemaRef('UpdateChatConfigurationRequest') })
  @ApiResponse({ status: 200, description: 'The configuration as changed (secrets masked)', schema: schemaRef('ChatConfiguration') })
  @ApiErrorResponse(400, 'Invalid input; details name each field')
  @ApiErrorResponse(404, 'No such configuration')
  async patch(
    @Param('name') name: string,
    @Body() body: UpdateChatConfigurationRequest,
    @CurrentActor() actor: AuditActor,
  ): Promise<ChatConfigurationResponse> {
    const view = await this.updateConfiguration.execute({ actor, name, ...toChatConfigurationChanges(body) });
    return presentChatConfiguration(view, this.publicBaseUrl);
  }

  /** The same partial update as PATCH, as OOS's UpdateChatConfiguration is: absent fields are kept. */
  @Put(':name')
  @Access('admin')
  @ApiOperation({ operationId: 'putChatConfiguration', summary: 'Same as PATCH (fields absent from the body are kept)' })
  @ApiParam({ name: 'name' })
  @ApiBody({ schema: schemaRef('UpdateChatConfigurationRequest') })
  @ApiResponse({ status: 200, description: 'The configuration as changed (secrets masked)', schema: schemaRef('ChatConfiguration') })
  @ApiErrorResponse(400, 'Invalid input; details name each field')
  @ApiErrorResponse(404, 'No such configuration')
  async put(
    @Param('name') name: string,
    @Body() body: UpdateChatConfigurationRequest,
    @CurrentActor() actor: AuditActor,
  ): Promise<ChatConfigurationResponse> {
    return this.patch(name, body, actor);
  }

  @Delete(':name')
  @Access('admin')
  @ApiOperation({ operationId: 'deleteChatConfiguration', summary: 'Delete a chat configuration; refused while sends through it are in progress' })
  @ApiParam({ name: 'name' })
  @ApiResponse({ status: 200, description: 'Deleted: `{ name, deleted: true }`', schema: schemaRef('DeletedChatConfiguration') })
  @ApiErrorResponse(404, 'No such configuration')
  @ApiErrorResponse(409, 'Sends through it are still in progress')
  async delete(@Param('name') name: string, @CurrentActor() actor: AuditActor): Promise<DeleteChatConfigurationResponse> {
    await this.deleteConfiguration.execute({ actor, name });
    return { name, deleted: true };
  }
}

/** `key` or `key=value`. */
export function parseTagFilter(filter: string): { key: string; value?: string } {
  const eq = filter.indexOf('=');
  return eq < 0 ? { key: filter } : { key: filter.slice(0, eq), value: filter.slice(eq + 1) };
}
