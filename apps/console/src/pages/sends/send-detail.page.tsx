import { RECIPIENT_STATUSES, type RecipientStatus } from '@dingrelay/contracts/client';
import { Alert, Card, Col, Row, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { PageHeader } from '../../components/page-header';
import { SendStatusTag } from '../../components/status-tags';
import { useKeysetPage } from '../../hooks/use-keyset-page';
import { choiceFilter, type FilterSpec, useUrlFilters } from '../../hooks/use-url-filters';
import { ReadSummaryCard, RecallSummaryCard } from './read-recall.card';
import { RecipientCountsCard } from './recipient-counts.card';
import { describeOutcome, type SendActionOutcome, SendActionsBar } from './send-actions.bar';
import { isLive, useSendQuery, WATCH_AFTER_REFRESH_MS } from './send-detail.queries';
import { SendProgressCard } from './send-progress.card';
import { SendRecipientsTable } from './send-recipients.table';
import { SendSummaryCard, SentMessageCard } from './send-summary.card';
import { SendTimeline } from './send-timeline';

const TABS = ['recipients', 'timeline'] as const;
type Tab = (typeof TABS)[number];

/** The tab shown and the recipients' status filter live in the URL; the one `page` token belongs to the tab shown. */
interface DetailView {
  tab?: Tab;
  status?: RecipientStatus;
}
const DETAIL_VIEW_SPEC: FilterSpec<DetailView> = { tab: choiceFilter(TABS), status: choiceFilter(RECIPIENT_STATUSES) };

/** One send: what was sent, where it stands, who read it, its recall, its timeline and every recipient. */
export default function SendDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('sends');
  const { permissions } = useSession();
  const [watching, setWatching] = useState(false);
  const send = useSendQuery(id, watching);
  const { filters: view, setFilters: setView } = useUrlFilters(DETAIL_VIEW_SPEC);
  const pager = useKeysetPage();
  const [outcome, setOutcome] = useState<SendActionOutcome | null>(null);
  const onOutcome = useCallback((next: SendActionOutcome) => {
    setOutcome(next);
    if (next.action === 'refresh') setWatching(true);
  }, []);
  useEffect(() => {
    if (!watching) return;
    const timer = setTimeout(() => setWatching(false), WATCH_AFTER_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [watching]);

  const breadcrumb = [{ title: t('history.title'), to: '/sends' }, { title: id.slice(0, 8) }];
  if (send.isError) {
    return (
      <>
        <PageHeader title={t('detail.title')} breadcrumb={breadcrumb} />
        <ApiErrorAlert error={send.error} />
      </>
    );
  }
  if (!send.data) return <Spin description={t('common:loading')}><div style={{ minHeight: 200 }} /></Spin>;

  const data = send.data;
  const live = isLive(data);
  const tab = view.tab ?? 'recipients';
  return (
    <>
      <PageHeader
        title={
          <Space>
            {t('detail.title')}
            <SendStatusTag status={data.status} />
            {live && <Tag color="processing">{t('detail.live')}</Tag>}
          </Space>
        }
        subtitle={<Typography.Text type="secondary" copyable>{data.id}</Typography.Text>}
        breadcrumb={breadcrumb}
        extra={<SendActionsBar send={data} permissions={permissions} onOutcome={onOutcome} />}
      />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {outcome && <Alert type="success" showIcon closable onClose={() => setOutcome(null)} title={describeOutcome(t, outcome)} role="status" />}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <SendSummaryCard send={data} />
          </Col>
          <Col xs={24} xl={10}>
            <SentMessageCard send={data} />
          </Col>
          <Col xs={24} xl={12}>
            <RecipientCountsCard send={data} />
          </Col>
          <Col xs={24} xl={12}>
            <SendProgressCard send={data} answeredAt={send.dataUpdatedAt} />
          </Col>
          <Col xs={24} xl={12}>
            <ReadSummaryCard send={data} />
          </Col>
          <Col xs={24} xl={12}>
            <RecallSummaryCard send={data} />
          </Col>
        </Row>
        <Card>
          <Tabs
            activeKey={tab}
            onChange={(key) => setView({ tab: key as Tab, status: view.status })}
            items={[
              {
                key: 'recipients',
                label: t('detail.tabs.recipients'),
                children: tab === 'recipients' && (
                  <SendRecipientsTable send={data} status={view.status} onStatusChange={(status) => setView({ tab, status })} live={live} pager={pager} />
                ),
              },
              { key: 'timeline', label: t('detail.tabs.timeline'), children: tab === 'timeline' && <SendTimeline sendId={data.id} live={live} pager={pager} /> },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
