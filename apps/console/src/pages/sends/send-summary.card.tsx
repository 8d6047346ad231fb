import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { MSG_KEY_CATALOG } from '@dingrelay/contracts/client';
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session.context';
import { DateTime } from '../../components/date-time';
import { SendStatusTag } from '../../components/status-tags';

const NoWrap = ({ children }: { children: ReactNode }) => <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;

/**
 * The configuration's name, linked to it; with a "deleted" tag, and no link, when the configuration the send went
 * through was deleted since: a configuration now under the name is another one, not this send's.
 */
function ConfigurationName({ send, linked }: { send: SendStatusResponse; linked: boolean }) {
  const { t } = useTranslation('sends');
  if (!send.chatConfigurationDeleted) {
    return linked ? <Link to={`/configurations/${encodeURIComponent(send.chatConfiguration)}`}>{send.chatConfiguration}</Link> : send.chatConfiguration;
  }
  return (
    <Space size={4} wrap>
      {send.chatConfiguration}
      <Tag title={t('detail.summary.configurationDeletedHint', { name: send.chatConfiguration })}>{t('detail.summary.configurationDeleted')}</Tag>
    </Space>
  );
}

/** Who sent what through which robot, and when it was accepted and finished. */
export function SendSummaryCard({ send }: { send: SendStatusResponse }) {
  const { t } = useTranslation('sends');
  const { permissions } = useSession();
  const none = <Typography.Text type="secondary">{t('common:none')}</Typography.Text>;
  return (
    <Card title={t('detail.summary.title')} style={{ height: '100%' }}>
      <Descriptions
        column={{ xs: 1, md: 2 }}
        size="small"
        items={[
          { key: 'status', label: t('detail.summary.status'), children: <SendStatusTag status={send.status} /> },
          {
            key: 'chatConfiguration',
            label: t('detail.summary.chatConfiguration'),
            children: <ConfigurationName send={send} linked={permissions.canReadConfigurations} />,
          },
          { key: 'robotCode', label: t('detail.summary.robotCode'), children: <Typography.Text code>{send.robotCode}</Typography.Text> },
          { key: 'msgKey', label: t('detail.summary.msgKey'), children: send.msgKey },
          { key: 'requester', label: t('detail.summary.requester'), children: send.requestedBy?.name ?? none },
          { key: 'idempotencyKey', label: t('detail.summary.idempotencyKey'), children: send.idempotencyKey ? <Typography.Text copyable code style={{ wordBreak: 'break-all' }}>{send.idempotencyKey}</Typography.Text> : none },
          { key: 'deliveryPolicy', label: t('detail.summary.deliveryPolicy'), children: t(`detail.deliveryPolicy.${send.deliveryPolicy}`) },
          { key: 'createdAt', label: t('detail.summary.createdAt'), children: <NoWrap><DateTime value={send.createdAt} /></NoWrap> },
          { key: 'completedAt', label: t('detail.summary.completedAt'), children: <NoWrap><DateTime value={send.completedAt} /></NoWrap> },
          ...(send.cancelledAt ? [{ key: 'cancelledAt', label: t('detail.summary.cancelledAt'), children: <NoWrap><DateTime value={send.cancelledAt} /></NoWrap> }] : []),
          { key: 'updatedAt', label: t('detail.summary.updatedAt'), children: <NoWrap><DateTime value={send.updatedAt} /></NoWrap> },
        ]}
      />
    </Card>
  );
}

/** The message as it was posted: each field of the msgKey's template, long text kept as written. */
export function SentMessageCard({ send }: { send: SendStatusResponse }) {
  const { t } = useTranslation('sends');
  const fields: string[] = MSG_KEY_CATALOG[send.msgKey]?.fields.map((field) => field.name) ?? [];
  const params = send.msgParam as Record<string, unknown>;
  // The catalog's order first, then anything else the message carried.
  const names = [...fields.filter((name) => name in params), ...Object.keys(params).filter((name) => !fields.includes(name))];
  return (
    <Card title={t('detail.message.title', { msgKey: send.msgKey })} style={{ height: '100%' }}>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={names.map((name) => ({
          key: name,
          label: <Typography.Text code>{name}</Typography.Text>,
          children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0, wordBreak: 'break-word' }}>{String(params[name] ?? '')}</Typography.Paragraph>,
        }))}
      />
    </Card>
  );
}
