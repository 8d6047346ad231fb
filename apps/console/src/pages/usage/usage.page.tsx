import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Flex, Form, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { PageHeader } from '../../components/page-header';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { isFutureMonth, USAGE_FILTER_SPEC } from './usage-month';
import { UsageTable } from './usage.table';

/** `/console/usage`: one month's DingTalk calls per chat configuration against its quota, and any delivery pause. */
export default function UsagePage() {
  const { t } = useTranslation('usage');
  const { client } = useSession();
  const { filters, setFilters } = useUrlFilters(USAGE_FILTER_SPEC);
  const usage = useQuery({
    queryKey: ['usage', filters.month ?? 'current'],
    queryFn: () => client.getUsage(filters.month ? { month: filters.month } : {}),
  });
  // Without ?month= the API picks the current month in DingTalk's time zone; the picker shows the month it answered.
  const month = filters.month ?? usage.data?.month;

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Flex gap="middle" align="center" wrap>
            <Form.Item label={t('month')} htmlFor="usage-month" style={{ margin: 0 }}>
              <DatePicker
                id="usage-month"
                picker="month"
                allowClear={false}
                value={month ? dayjs(`${month}-01`) : null}
                disabledDate={(value) => isFutureMonth(value)}
                onChange={(value) => value && setFilters({ month: value.format('YYYY-MM') })}
              />
            </Form.Item>
            {usage.data && <Typography.Text type="secondary">{t('timeZone', { timeZone: usage.data.timeZone })}</Typography.Text>}
          </Flex>
        </Card>
        {usage.isError && <ApiErrorAlert error={usage.error} />}
        <Card size="small">
          <UsageTable configurations={usage.data?.configurations ?? []} loading={usage.isFetching} />
        </Card>
      </Space>
    </>
  );
}
