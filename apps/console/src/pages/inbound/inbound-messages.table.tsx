import { FilterOutlined, SendOutlined } from '@ant-design/icons';
import type { InboundMessageResponse } from '@dingrelay/contracts/client';
import { Button, Space, Table, type TableColumnsType, Tag, theme, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DateTime } from '../../components/date-time';
import type { InboundFilters } from './inbound-filters';
import { InboundMessageDetails } from './inbound-message.details';
import { MessageContent } from './message-content';
import { useMessageTypeName } from './message-type';

/** One page of what users sent the robots, newest first; each row opens to every field DingTalk pushed. */
export function InboundMessagesTable({
  messages,
  loading,
  onFilter,
}: {
  messages: InboundMessageResponse[];
  loading: boolean;
  /** Narrows the list to one sender or one conversation (added to the current filters). */
  onFilter: (filters: Partial<InboundFilters>) => void;
}) {
  const { t } = useTranslation('inbound');
  const { token } = theme.useToken();
  const typeName = useMessageTypeName();
  const small = { fontSize: token.fontSizeSM, whiteSpace: 'nowrap' } as const;

  const filterButton = (label: string, filters: Partial<InboundFilters>) => (
    <Tooltip title={label}>
      <Button type="text" size="small" icon={<FilterOutlined />} aria-label={label} onClick={() => onFilter(filters)} />
    </Tooltip>
  );

  const columns: TableColumnsType<InboundMessageResponse> = [
    { key: 'receivedAt', title: t('columns.receivedAt'), dataIndex: 'receivedAt', width: 170, render: (value: string) => <DateTime value={value} /> },
    {
      key: 'chatConfiguration',
      title: t('columns.chatConfiguration'),
      render: (_, message) => <Link to={`/configurations/${encodeURIComponent(message.chatConfiguration)}`}>{message.chatConfiguration}</Link>,
    },
    {
      key: 'sender',
      title: t('columns.sender'),
      render: (_, message) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
            {message.senderNick ?? t('sender.unnamed')}
          </Typography.Text>
          {message.senderStaffId && (
            <Space size={2}>
              <Typography.Text type="secondary" style={small} aria-label={`${t('sender.staffId')} ${message.senderStaffId}`}>
                {message.senderStaffId}
              </Typography.Text>
              {filterButton(t('sender.onlyThisSender'), { senderStaffId: message.senderStaffId })}
              <Tooltip title={t('sender.messagesToUser')}>
                <Link to={`/users?userId=${encodeURIComponent(message.senderStaffId)}`} aria-label={t('sender.messagesToUser')}>
                  <SendOutlined aria-hidden />
                </Link>
              </Tooltip>
            </Space>
          )}
        </Space>
      ),
    },
    {
      key: 'conversation',
      title: t('columns.conversation'),
      render: (_, message) => (
        <Space orientation="vertical" size={0}>
          <Space size={4}>
            <Tag>{message.conversationType === '2' ? t('conversation.group') : message.conversationType === '1' ? t('conversation.single') : t('conversation.other')}</Tag>
            {message.conversationTitle && <Typography.Text>{message.conversationTitle}</Typography.Text>}
          </Space>
          <Space size={2}>
            <Tooltip title={message.conversationId}>
              <Typography.Text type="secondary" style={{ ...small, maxWidth: 160 }} ellipsis aria-label={`${t('conversation.id')} ${message.conversationId}`}>
                {message.conversationId}
              </Typography.Text>
            </Tooltip>
            {filterButton(t('conversation.onlyThisConversation'), { conversationId: message.conversationId })}
          </Space>
        </Space>
      ),
    },
    { key: 'msgtype', title: t('columns.msgtype'), dataIndex: 'msgtype', render: (type: string) => typeName(type) },
    { key: 'content', title: t('columns.content'), minWidth: 280, render: (_, message) => <MessageContent message={message} /> },
  ];

  return (
    <Table<InboundMessageResponse>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={messages}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('empty') }}
      expandable={{ expandedRowRender: (message) => <InboundMessageDetails message={message} /> }}
    />
  );
}
