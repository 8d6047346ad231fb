import { ChatConfigurationStatus, ChatConfigurationType } from '@dingrelay/contracts';
import {
  type ChatConfigurationCredentials,
  type ChatConfigurationCredentialsSource,
} from '../chat-configurations/chat-configuration.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';

/** The configuration whose robot gets quick entries: it must exist, be a DingTalk one, and be active. */
export async function resolvePluginTarget(source: ChatConfigurationCredentialsSource, name: string): Promise<ChatConfigurationCredentials> {
  const found = await source.find(name);
  if (!found) throw new NotFoundError('Chat configuration', name);
  // Absent type/status: a configuration pinned in the process, which is DingTalk and active.
  if (found.type !== undefined && found.type !== ChatConfigurationType.DingTalk) {
    throw new ConflictError(`Chat configuration ${name} is a ${found.type} configuration; quick entries exist only for DingTalk robots`, [
      { field: 'name', message: `chat configuration type is ${found.type}, expected DingTalk` },
    ]);
  }
  if (found.status !== undefined && found.status !== ChatConfigurationStatus.Active) {
    throw new ConflictError(`Chat configuration ${name} is ${found.status}; activate it before changing its robot`, [
      { field: 'name', message: `chat configuration status is ${found.status}, expected active` },
    ]);
  }
  return found;
}
