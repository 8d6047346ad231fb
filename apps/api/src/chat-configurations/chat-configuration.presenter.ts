import { type ChatConfigurationResponse, MASKED_SECRET } from '@dingrelay/contracts';
import type { ChatConfigurationView } from '@dingrelay/domain';

/**
 * The one shape a configuration leaves the API in. Secrets are never read back: the client secret and the callback
 * secrets are `******`, except the callback secrets in the creation response (generated there, shown once).
 */
export function presentChatConfiguration(view: ChatConfigurationView, publicBaseUrl: string): ChatConfigurationResponse {
  return {
    name: view.name,
    type: view.type,
    status: view.status,
    ramRole: view.ramRole,
    resourceGroupId: view.resourceGroupId,
    tags: view.tags,
    configuration: {
      clientId: view.clientId,
      clientSecret: view.hasClientSecret ? MASKED_SECRET : null,
      robotCode: view.robotCode,
      templateId: view.templateId,
      callsPerSecond: view.callsPerSecond,
      paceUtilization: view.paceUtilization,
      monthlyCallQuota: view.monthlyCallQuota,
    },
    outputs: {
      url: `${publicBaseUrl}${view.callbackPath}`,
      aesKey: view.revealed?.aesKey ?? MASKED_SECRET,
      callbackToken: view.revealed?.callbackToken ?? MASKED_SECRET,
    },
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}
