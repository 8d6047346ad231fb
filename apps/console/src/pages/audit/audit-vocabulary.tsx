import { Space, theme, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * The actions dingrelay audits and their locale keys (`audit:actions.<key>`). An action not listed here (a newer API
 * than this console) is shown as its raw name rather than hidden or mislabelled.
 */
export const AUDIT_ACTIONS = {
  'send.create': 'sendCreate',
  'send.cancel': 'sendCancel',
  'send.recall': 'sendRecall',
  'send.read-status.refresh': 'sendReadStatusRefresh',
  'chat-configuration.create': 'chatConfigurationCreate',
  'chat-configuration.update': 'chatConfigurationUpdate',
  'chat-configuration.delete': 'chatConfigurationDelete',
  'plugins.set': 'pluginsSet',
  'plugins.clear': 'pluginsClear',
  'api-key.create': 'apiKeyCreate',
  'api-key.revoke': 'apiKeyRevoke',
  'retention.purge': 'retentionPurge',
  'secrets.reencrypt': 'secretsReencrypt',
} as const satisfies Record<string, string>;

/** What audited actions act on (`target.type`), with their locale keys (`audit:targetTypes.<key>`). */
export const AUDIT_TARGET_TYPES = {
  send: 'send',
  'chat-configuration': 'chatConfiguration',
  'api-key': 'apiKey',
  recipients: 'recipients',
} as const satisfies Record<string, string>;

function known<M extends Record<string, string>>(map: M, value: string): value is Extract<keyof M, string> {
  return Object.hasOwn(map, value);
}

/** The action in the user's language, or null when this console does not know it. */
export function useAuditActionLabel(): (action: string) => string | null {
  const { t } = useTranslation('audit');
  return (action) => (known(AUDIT_ACTIONS, action) ? t(`actions.${AUDIT_ACTIONS[action]}`) : null);
}

export function useTargetTypeLabel(): (type: string) => string | null {
  const { t } = useTranslation('audit');
  return (type) => (known(AUDIT_TARGET_TYPES, type) ? t(`targetTypes.${AUDIT_TARGET_TYPES[type]}`) : null);
}

/** "Cancel send" above `send.cancel`; an unknown action is its raw name alone. */
export function AuditActionLabel({ action }: { action: string }) {
  const label = useAuditActionLabel()(action);
  const { token } = theme.useToken();
  if (label === null) return <Typography.Text code>{action}</Typography.Text>;
  return (
    <Space orientation="vertical" size={0}>
      <span>{label}</span>
      <Typography.Text type="secondary" code style={{ fontSize: token.fontSizeSM }}>
        {action}
      </Typography.Text>
    </Space>
  );
}
