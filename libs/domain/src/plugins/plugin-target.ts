import {
  type ChatConfigurationCredentials,
  type ChatConfigurationCredentialsSource,
} from '../chat-configurations/chat-configuration.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';

/**
 * The fields the database-backed configurations add (interfaces §6); optional here so this works with the
 * environment-backed `default` too, which is a DingTalk configuration and active.
 */
type WithTypeAndStatus = ChatConfigurationCredentials & { type?: string; status?: string };

/** The configuration whose robot gets quick entries: it must exist, be a DingTalk one, and be active. */
export async function resolvePluginTarget(source: ChatConfigurationCredentialsSource, name: string): Promise<ChatConfigurationCredentials> {
  const found = (await source.find(name)) as WithTypeAndStatus | undefined;
  if (!found) throw new NotFoundError('Chat configuration', name);
  if (found.type !== undefined && found.type.toLowerCase() !== 'dingtalk') {
    throw new ConflictError(`Chat configuration ${name} is a ${found.type} configuration; quick entries exist only for DingTalk robots`, [
      { field: 'name', message: `chat configuration type is ${found.type}, expected DingTalk` },
    ]);
  }
  if (found.status !== undefined && found.status.toLowerCase() !== 'active') {
    throw new ConflictError(`Chat configuration ${name} is ${found.status}; activate it before changing its robot`, [
      { field: 'name', message: `chat configuration status is ${found.status}, expected active` },
    ]);
  }
  return found;
}
