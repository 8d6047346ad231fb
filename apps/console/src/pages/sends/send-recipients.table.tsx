import { DingrelayApiError, RECIPIENT_STATUSES, type RecipientOutcome, type RecipientStatus, type SendStatusResponse } from '@dingrelay/contracts/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Flex, Segmented, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { DateTime } from '../../components/date-time';
import { KeysetPager } from '../../components/keyset-pager';
import type { useKeysetPage } from '../../hooks/use-keyset-page';
import { LIVE_REFRESH_MS, sendKey } from './send-detail.queries';
import { useCellRenderers } from './table-cells';

const RECIPIENTS_PAGE_SIZE = 100;

interface Props {
  send: SendStatusResponse;
  status: RecipientStatus | undefined;
  onStatusChange: (status: RecipientStatus | undefined) => void;
  live: boolean;
  pager: ReturnType<typeof useKeysetPage>;
}

/** Each recipient's outcome with DingTalk's reason, filtered by status and paged; gone once retention purged it. */
export function SendRecipientsTable({ send, status, onStatusChange, live, pager }: Props) {
  const { t } = useTranslation('sends');
  const { client } = useSession();
  const purged = send.recipientsPurgedAt !== null;
  const recipients = useQuery({
    queryKey: [...sendKey(send.id), 'recipients', status, pager.token],
    queryFn: () => client.listSendRecipients(send.id, { status, maxResults: RECIPIENTS_PAGE_SIZE, nextToken: pager.token }),
    enabled: !purged,
    placeholderData: keepPreviousData,
    refetchInterval: live ? LIVE_REFRESH_MS : false,
  });
  const columns = useRecipientColumns();

  const gone = purged || (recipients.error instanceof DingrelayApiError && recipients.error.status === 410);
  if (gone) {
    return (
      <Alert
        type="info"
        showIcon
        title={t('recipients.purged')}
        description={
          <>
            {t('recipients.purgedDetail')} {send.recipientsPurgedAt && <DateTime value={send.recipientsPurgedAt} />}
          </>
        }
      />
    );
  }

  return (
    <>
      <Flex gap="small" align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Text id="recipient-status-filter">{t('recipients.statusFilter')}</Typography.Text>
        <Segmented<RecipientStatus | 'all'>
          aria-labelledby="recipient-status-filter"
          value={status ?? 'all'}
          onChange={(value) => onStatusChange(value === 'all' ? undefined : value)}
          options={[
            { value: 'all', label: t('recipients.all', { total: send.recipients.total.toLocaleString() }) },
            ...RECIPIENT_STATUSES.map((s) => ({ value: s, label: `${t(`common:recipientStatus.${s}`)} ${send.recipients[s].toLocaleString()}` })),
          ]}
        />
      </Flex>
      {recipients.isError && <ApiErrorAlert error={recipients.error} />}
      <Table<RecipientOutcome>
        rowKey="userId"
        size="small"
        columns={columns}
        dataSource={recipients.isError ? [] : (recipients.data?.items ?? [])}
        loading={recipients.isFetching && !recipients.data}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('recipients.empty') }}
      />
      <KeysetPager pager={pager} nextToken={recipients.data?.nextToken} loading={recipients.isFetching} />
    </>
  );
}

function useRecipientColumns(): TableColumnsType<RecipientOutcome> {
  const { t } = useTranslation('sends');
  const cell = useCellRenderers();
  return useMemo(
    () => [
      {
        key: 'userId',
        title: t('recipients.columns.userId'),
        render: (_, r) => (
          <Link to={`/users?userId=${encodeURIComponent(r.userId)}`} title={t('recipients.userMessages')}>
            {r.userId}
          </Link>
        ),
      },
      { key: 'status', title: t('recipients.columns.status'), render: (_, r) => cell.recipientStatus(r.status) },
      { key: 'reason', title: t('recipients.columns.reason'), render: (_, r) => cell.reason(r.reasonCode, r.reasonMessage) },
      {
        key: 'processQueryKey',
        title: t('recipients.columns.processQueryKey'),
        // DingTalk's keys are long: cut to the column, whole in the title and when selected and copied.
        render: (_, r) =>
          r.processQueryKey ? (
            <code title={r.processQueryKey} style={{ display: 'inline-block', maxWidth: 180, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', verticalAlign: 'bottom' }}>
              {r.processQueryKey}
            </code>
          ) : (
            '–'
          ),
      },
      { key: 'attempts', title: t('recipients.columns.attempts'), dataIndex: 'attempts', align: 'right' },
      { key: 'deliveredAt', title: t('recipients.columns.deliveredAt'), render: (_, r) => cell.time(r.deliveredAt) },
      {
        key: 'read',
        title: t('recipients.columns.read'),
        render: (_, r) => cell.readState(r.readStatus, r.readAt, r.status === 'delivered'),
      },
      {
        key: 'recall',
        title: t('recipients.columns.recall'),
        render: (_, r) => cell.recallState(r.recallStatus, r.recallReason, r.recalledAt),
      },
      { key: 'updatedAt', title: t('recipients.columns.updatedAt'), render: (_, r) => cell.time(r.updatedAt) },
    ],
    [cell, t],
  );
}
