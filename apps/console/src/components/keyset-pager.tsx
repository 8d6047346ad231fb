import { LeftOutlined, RightOutlined, VerticalRightOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { useKeysetPage } from '../hooks/use-keyset-page';

/** First / previous / next under a keyset-paged table; "next" only while the API gave a nextToken. */
export function KeysetPager({ pager, nextToken, loading }: { pager: ReturnType<typeof useKeysetPage>; nextToken: string | null | undefined; loading?: boolean }) {
  const { t } = useTranslation('common');
  return (
    <Space style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }}>
      <Typography.Text type="secondary">{t('pager.page', { page: pager.pageNumber })}</Typography.Text>
      <Button icon={<VerticalRightOutlined />} disabled={!pager.hasPrevious || loading} onClick={pager.first}>
        {t('pager.first')}
      </Button>
      <Button icon={<LeftOutlined />} disabled={!pager.hasPrevious || loading} onClick={pager.previous}>
        {t('pager.previous')}
      </Button>
      <Button icon={<RightOutlined />} iconPlacement="end" disabled={!nextToken || loading} onClick={() => nextToken && pager.next(nextToken)}>
        {t('pager.next')}
      </Button>
    </Space>
  );
}
