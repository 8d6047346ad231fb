import type { UpdateChatConfigurationRequest } from '@dingrelay/contracts';
import type { ChatConfigurationChanges } from '@dingrelay/domain';

/** REST body → use-case changes; field for field, the DingTalk settings under `dingTalk`. */
export function toChatConfigurationChanges(body: UpdateChatConfigurationRequest): ChatConfigurationChanges {
  return {
    type: body.type,
    status: body.status,
    ramRole: body.ramRole,
    resourceGroupId: body.resourceGroupId,
    tags: body.tags,
    dingTalk: body.configuration ? { ...body.configuration } : undefined,
  };
}
