import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorCode, MASKED_SECRET } from '@dingrelay/contracts';
import {
  type AuditActor,
  type ChatConfigurationView,
  CreateChatConfigurationUseCase,
  DeleteChatConfigurationUseCase,
  GetChatConfigurationUseCase,
  InvalidInputError,
  ListChatConfigurationsUseCase,
  UpdateChatConfigurationUseCase,
} from '@dingrelay/domain';
import type { Request } from 'express';
import { requirePermission } from '../auth/access-policy.js';
import { Access } from '../auth/access.decorator.js';
import { principalOf } from '../auth/principal.js';
import { ApiException } from '../http/api.exception.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { requestIdOf } from '../http/request-id.middleware.js';
import { ApiOosResponses } from '../openapi/oos.schemas.js';
import { parseTagFilter } from './chat-configurations.controller.js';
import { toChatConfigurationChanges } from './chat-configuration.request-mapping.js';
import {
  changeRequestOf,
  listQueryOf,
  OOS_ACTIONS,
  OOS_PATH,
  OosAction,
  type OosParameters,
  oosParameters,
  requireParameter,
} from './oos-parameters.js';
import { PUBLIC_BASE_URL } from './public-base-url.js';

/** OOS's dates: ISO-8601 with an explicit offset, seconds precision (`2025-12-10T10:09:32+00:00`). */
export function oosDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const WRITE_ACTIONS = new Set<string>([OosAction.Create, OosAction.Update, OosAction.Delete]);

/**
 * Alibaba Cloud OOS's chat-configuration actions (API 2019-06-01, RPC style) over the same use-cases as
 * `/v1/chat-configurations`: `Action` and OOS's parameter names in the query string and/or a form body, answers
 * and errors in OOS's names. Authentication is ours (Bearer API key), not Alibaba Cloud's AK signature.
 */
@ApiTags('chat-configurations')
@Controller(OOS_PATH)
export class OosController {
  constructor(
    private readonly createConfiguration: CreateChatConfigurationUseCase,
    private readonly updateConfiguration: UpdateChatConfigurationUseCase,
    private readonly getConfiguration: GetChatConfigurationUseCase,
    private readonly listConfigurations: ListChatConfigurationsUseCase,
    private readonly deleteConfiguration: DeleteChatConfigurationUseCase,
    @Inject(PUBLIC_BASE_URL) private readonly publicBaseUrl: string,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOosResponses()
  // Reading is open to auditors; the write actions are checked below, per Action.
  @Access('configurations.read')
  @ApiOperation({
    operationId: 'callOosAction',
    summary: 'OOS-compatible: Action=Create|Update|Get|List|DeleteChatConfiguration(s) with OOS parameter and response names',
  })
  async handle(@Req() req: Request, @CurrentActor() actor: AuditActor): Promise<Record<string, unknown>> {
    const params = oosParameters(req.query, req.body);
    const action = requireParameter(params, 'Action');
    if (!OOS_ACTIONS.includes(action)) {
      throw new ApiException(400, ApiErrorCode.ValidationFailed, `Action ${JSON.stringify(action.slice(0, 64))} is not supported; use one of ${OOS_ACTIONS.join(', ')}`, [
        { field: 'Action', message: 'is not a supported action' },
      ]);
    }
    if (WRITE_ACTIONS.has(action)) requirePermission(principalOf(req), 'admin');
    const RequestId = requestIdOf(req);
    return { RequestId, ...(await this.run(action as OosAction, params, actor)) };
  }

  private async run(action: OosAction, params: OosParameters, actor: AuditActor): Promise<Record<string, unknown>> {
    switch (action) {
      case OosAction.Create: {
        const body = changeRequestOf(params, true);
        const view = await this.createConfiguration.execute({ actor, name: body.name, ...toChatConfigurationChanges(body), type: body.type });
        // Our addition to OOS's create answer: the generated Outputs, secrets included, this once.
        return { ChatConfiguration: { ...this.dates(view), Outputs: this.outputs(view) } };
      }
      case OosAction.Update: {
        const name = requireParameter(params, 'Name');
        const view = await this.updateConfiguration.execute({ actor, name, ...toChatConfigurationChanges(changeRequestOf(params, false)) });
        return { ChatConfiguration: this.dates(view) };
      }
      case OosAction.Get: {
        const view = await this.getConfiguration.execute(requireParameter(params, 'Name'));
        return {
          ChatConfiguration: {
            Name: view.name,
            Type: view.type,
            RamRole: view.ramRole,
            Configuration: JSON.stringify(this.configuration(view)),
            ResourceGroupId: view.resourceGroupId,
            CreatedDate: oosDate(view.createdAt),
            UpdatedDate: oosDate(view.updatedAt),
            Outputs: this.outputs(view),
            Status: view.status,
            Tags: view.tags,
          },
        };
      }
      case OosAction.List: {
        const { query, type } = listQueryOf(params);
        const page = await this.listConfigurations
          .execute({
            namePrefix: query.name,
            type,
            status: query.status,
            tag: query.tag === undefined ? undefined : parseTagFilter(query.tag),
            maxResults: query.maxResults,
            nextToken: query.nextToken,
          })
          .catch((error: unknown) => {
            throw inOosNames(error);
          });
        return {
          ChatConfigurations: page.items.map((view) => ({
            Name: view.name,
            CreatedDate: oosDate(view.createdAt),
            UpdatedDate: oosDate(view.updatedAt),
            RamRole: view.ramRole,
            Type: view.type,
            Outputs: this.outputs(view),
          })),
          // Not in OOS's documented answer, which has no paging output; without it NextToken could not be used.
          ...(page.nextToken ? { NextToken: page.nextToken } : {}),
        };
      }
      case OosAction.Delete: {
        await this.deleteConfiguration.execute({ actor, name: requireParameter(params, 'Name') });
        return { Content: 'Chat configuration deleted successfully.' };
      }
    }
  }

  private dates(view: ChatConfigurationView): Record<string, string> {
    return { Name: view.name, CreatedDate: oosDate(view.createdAt), UpdatedDate: oosDate(view.updatedAt) };
  }

  /** `Outputs` is a JSON string in OOS: the callback URL and the AesKey (masked except right after creation). */
  private outputs(view: ChatConfigurationView): string {
    return JSON.stringify({ URL: `${this.publicBaseUrl}${view.callbackPath}`, AesKey: view.revealed?.aesKey ?? MASKED_SECRET });
  }

  private configuration(view: ChatConfigurationView): Record<string, unknown> {
    return {
      DingTalkClientId: view.clientId,
      DingTalkClientSecret: view.hasClientSecret ? MASKED_SECRET : null,
      DingTalkTemplateId: view.templateId,
      DingTalkRobotCode: view.robotCode,
      DingTalkCallsPerSecond: view.callsPerSecond,
      DingTalkPaceUtilization: view.paceUtilization,
      DingTalkMonthlyCallQuota: view.monthlyCallQuota,
    };
  }
}

/** The paging layer names the token `nextToken`; an OOS caller sent it as `NextToken`, and the error says so. */
function inOosNames(error: unknown): unknown {
  if (!(error instanceof InvalidInputError) || error.details[0]?.field !== 'nextToken') return error;
  const { message } = error.details[0];
  return new ApiException(400, ApiErrorCode.ValidationFailed, `Invalid NextToken: ${message}`, [{ field: 'NextToken', message }]);
}
