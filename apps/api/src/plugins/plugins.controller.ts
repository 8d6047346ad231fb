import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type PluginsChangeResponse, type PluginsResponse, SetPluginsRequest } from '@dingrelay/contracts';
import { type AuditActor, ClearPluginsUseCase, GetPluginsUseCase, SetPluginsUseCase } from '@dingrelay/domain';
import { Access } from '../auth/access.decorator.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';
import { ApiPluginsChangeRefusals } from '../openapi/plugins.schemas.js';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator.js';
import { presentPlugins, presentPluginsChange } from './plugins.presenter.js';

/** A DingTalk configuration's robot quick entries (spec §6); each call reaches DingTalk synchronously. */
@ApiTags('plugins')
@Controller('v1/chat-configurations/:name/plugins')
export class PluginsController {
  constructor(
    private readonly setPlugins: SetPluginsUseCase,
    private readonly clearPlugins: ClearPluginsUseCase,
    private readonly getPlugins: GetPluginsUseCase,
  ) {}

  @Put()
  @Access('admin')
  @ApiOperation({ operationId: 'setPlugins', summary: "Replace the robot's quick entries (plugins/set)" })
  @ApiBody({ schema: schemaRef('SetPluginsRequest') })
  @ApiResponse({ status: 200, description: 'Applied; the entries as DingTalk accepted them', schema: schemaRef('PluginsChange') })
  @ApiErrorResponse(400, 'Invalid entry (names the field); DingTalk was not called')
  @ApiErrorResponse(404, 'No such configuration')
  @ApiPluginsChangeRefusals()
  async put(@Param('name') name: string, @Body() body: SetPluginsRequest, @CurrentActor() actor: AuditActor): Promise<PluginsChangeResponse> {
    return presentPluginsChange(await this.setPlugins.execute({ chatConfiguration: name, plugins: body.plugins, actor }));
  }

  @Get()
  @Access('configurations.read')
  @ApiOperation({ operationId: 'getPlugins', summary: 'Quick entries as DingTalk reports them (plugins/query) and as dingrelay last applied them' })
  @ApiResponse({ status: 200, description: "DingTalk's answer and dingrelay's record", schema: schemaRef('Plugins') })
  @ApiErrorResponse(404, 'No such configuration')
  async get(@Param('name') name: string): Promise<PluginsResponse> {
    return presentPlugins(await this.getPlugins.execute(name));
  }

  @Delete()
  @Access('admin')
  @ApiOperation({ operationId: 'clearPlugins', summary: 'Remove every quick entry of the robot (plugins/clear)' })
  @ApiResponse({ status: 200, description: 'Cleared', schema: schemaRef('PluginsChange') })
  @ApiErrorResponse(404, 'No such configuration')
  @ApiPluginsChangeRefusals()
  async delete(@Param('name') name: string, @CurrentActor() actor: AuditActor): Promise<PluginsChangeResponse> {
    return presentPluginsChange(await this.clearPlugins.execute({ chatConfiguration: name, actor }));
  }
}
