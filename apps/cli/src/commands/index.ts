import type { Command } from '../command.js';
import { auditCommand } from './audit.command.js';
import { auditVerifyCommand } from './audit-verify.command.js';
import {
  configurationsCreateCommand,
  configurationsDeleteCommand,
  configurationsGetCommand,
  configurationsListCommand,
  configurationsUpdateCommand,
} from './configurations.command.js';
import { exportRecipientsCommand, exportSendsCommand } from './export.command.js';
import { historyRecipientsCommand, historySendsCommand } from './history.command.js';
import { keysCreateCommand, keysGetCommand, keysListCommand, keysRevokeCommand } from './keys.command.js';
import { pluginsClearCommand, pluginsGetCommand, pluginsSetCommand } from './plugins.command.js';
import { recipientsCommand } from './recipients.command.js';
import { inboundCommand } from './inbound.command.js';
import { cancelCommand, eventsCommand, recallCommand, refreshReadStatusCommand } from './send-actions.command.js';
import { sendCommand } from './send.command.js';
import { statusCommand } from './status.command.js';
import { usageCommand } from './usage.command.js';

/** Every command, in the order `dingrelay --help` lists them. */
export const COMMANDS: readonly Command[] = [
  sendCommand,
  statusCommand,
  recipientsCommand,
  eventsCommand,
  cancelCommand,
  recallCommand,
  refreshReadStatusCommand,
  historySendsCommand,
  historyRecipientsCommand,
  exportSendsCommand,
  exportRecipientsCommand,
  inboundCommand,
  configurationsListCommand,
  configurationsGetCommand,
  configurationsCreateCommand,
  configurationsUpdateCommand,
  configurationsDeleteCommand,
  pluginsGetCommand,
  pluginsSetCommand,
  pluginsClearCommand,
  keysListCommand,
  keysGetCommand,
  keysCreateCommand,
  keysRevokeCommand,
  // Before `audit`: the first command whose words match runs.
  auditVerifyCommand,
  auditCommand,
  usageCommand,
];
