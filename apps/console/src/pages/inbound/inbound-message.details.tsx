import type { InboundMessageResponse } from '@dingrelay/contracts/client';
import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';

/** Every field DingTalk pushed for the message (but the reply webhook, which is not kept). */
export function InboundMessageDetails({ message }: { message: InboundMessageResponse }) {
  const { t } = useTranslation('inbound');
  const code = (value: string | null) => (value ? <Typography.Text code copyable={{ text: value }}>{value}</Typography.Text> : <Typography.Text type="secondary">{t('common:none')}</Typography.Text>);
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, lg: 2 }}
      title={t('details.title')}
      styles={{ label: { width: 200 } }}
      items={[
        { key: 'msgId', label: t('details.msgId'), children: code(message.msgId) },
        { key: 'msgtype', label: t('details.msgtype'), children: <Typography.Text code>{message.msgtype}</Typography.Text> },
        { key: 'createAt', label: t('details.createAt'), children: <DateTime value={message.createAt} /> },
        { key: 'receivedAt', label: t('details.receivedAt'), children: <DateTime value={message.receivedAt} /> },
        { key: 'robotCode', label: t('details.robotCode'), children: code(message.robotCode) },
        { key: 'senderStaffId', label: t('details.senderStaffId'), children: code(message.senderStaffId) },
        { key: 'senderId', label: t('details.senderId'), children: code(message.senderId) },
        { key: 'senderCorpId', label: t('details.senderCorpId'), children: code(message.senderCorpId) },
        { key: 'conversationId', label: t('details.conversationId'), children: code(message.conversationId) },
        {
          key: 'isInAtList',
          label: t('details.isInAtList'),
          children: message.isInAtList === null ? t('common:none') : t(message.isInAtList ? 'details.yes' : 'details.no'),
        },
        {
          key: 'content',
          label: t('details.content'),
          span: 'filled',
          children:
            message.content === null ? (
              <Typography.Text type="secondary">{t('common:none')}</Typography.Text>
            ) : (
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(message.content, null, 2)}</pre>
            ),
        },
      ]}
    />
  );
}
