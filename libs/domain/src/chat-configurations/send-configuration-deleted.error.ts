import type { EntityManager } from 'typeorm';
import { ConflictError } from '../errors/domain.error.js';
import { sentThroughCurrentConfiguration } from './send-configuration.sql.js';

/**
 * A change asked of a send (recall, read-status refresh) whose chat configuration was deleted since: it would need the
 * app the send went through, which is gone, and a configuration re-created under the name is another app that must
 * never act on this send. A 409, audited like any refusal, and no DingTalk call.
 */
export class SendConfigurationDeletedError extends ConflictError {
  constructor(sendId: string, chatConfiguration: string) {
    super(
      `Send ${sendId} went through chat configuration ${chatConfiguration}, which has been deleted since; ` +
        `a configuration now named ${chatConfiguration}, if any, is another one, and never acts on this send`,
    );
  }
}

/** Throws SendConfigurationDeletedError unless the send went through the configuration that has its name now. */
export async function assertSendConfigurationExists(tx: EntityManager, sendId: string): Promise<void> {
  const [send]: { name: string; current: boolean }[] = await tx.query(
    `SELECT s.chat_configuration AS name, ${sentThroughCurrentConfiguration('s')} AS current FROM sends s WHERE s.id = $1`,
    [sendId],
  );
  if (send && !send.current) throw new SendConfigurationDeletedError(sendId, send.name);
}
