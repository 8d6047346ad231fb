import type { SendEventResponse } from '@dingrelay/contracts/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Empty, Spin, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { DateTime } from '../../components/date-time';
import { KeysetPager } from '../../components/keyset-pager';
import type { useKeysetPage } from '../../hooks/use-keyset-page';
import { describeSendEvent } from './send-event.describe';
import { LIVE_REFRESH_MS, sendKey } from './send-detail.queries';

const EVENTS_PAGE_SIZE = 50;

/** The send's timeline, oldest first, one page at a time; read again while the send is still moving. */
export function SendTimeline({ sendId, live, pager }: { sendId: string; live: boolean; pager: ReturnType<typeof useKeysetPage> }) {
  const { t } = useTranslation('sends');
  const { client } = useSession();
  const events = useQuery({
    queryKey: [...sendKey(sendId), 'events', pager.token],
    queryFn: () => client.listSendEvents(sendId, { maxResults: EVENTS_PAGE_SIZE, nextToken: pager.token }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? LIVE_REFRESH_MS : false,
  });
  if (events.isError) return <ApiErrorAlert error={events.error} />;
  if (!events.data) return <Spin />;
  return (
    <>
      {events.data.items.length === 0 ? (
        <Empty description={t('timeline.empty')} />
      ) : (
        <Timeline items={events.data.items.map((event) => ({ key: event.id, color: describeSendEvent(t, event).color, content: <SendEventEntry event={event} /> }))} />
      )}
      <KeysetPager pager={pager} nextToken={events.data.nextToken} loading={events.isFetching} />
    </>
  );
}

function SendEventEntry({ event }: { event: SendEventResponse }) {
  const { t } = useTranslation('sends');
  const described = describeSendEvent(t, event);
  return (
    <div>
      <Typography.Text type="secondary">
        <DateTime value={event.occurredAt} />
      </Typography.Text>{' '}
      <Typography.Text code>{event.type}</Typography.Text>
      {event.batchId && (
        <Typography.Text type="secondary" title={event.batchId}>
          {' '}
          {t('timeline.batch', { batch: event.batchId.slice(0, 8) })}
        </Typography.Text>
      )}
      <div>
        {described.title}
        {described.code && (
          <>
            {' '}
            {t('timeline.code')} <Typography.Text code copyable>{described.code}</Typography.Text>
          </>
        )}
      </div>
      {described.dingtalkRequestId && (
        <Typography.Text type="secondary">
          {t('timeline.dingtalkRequestId')} <Typography.Text code copyable>{described.dingtalkRequestId}</Typography.Text>
        </Typography.Text>
      )}
    </div>
  );
}
