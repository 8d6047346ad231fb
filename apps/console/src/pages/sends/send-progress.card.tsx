import type { SendStatusResponse } from '@dingrelay/contracts/client';
import { Alert, Card, Descriptions, Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';

/** "in 4 minutes" in the user's language, counted from `now`; none once past. */
export function relativeTime(value: string | null, now: number, language: string): string | null {
  if (!value) return null;
  const seconds = Math.round((Date.parse(value) - now) / 1000);
  if (seconds <= 0) return null;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (seconds < 90) return format.format(seconds, 'second');
  if (seconds < 90 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (seconds < 36 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86400), 'day');
}

/**
 * How far the send is: recipients settled, batches left and ahead, when it should end, lost answers, any pause.
 * `answeredAt` is when the API gave this state (the ETA's "in N minutes" counts from it).
 */
export function SendProgressCard({ send, answeredAt }: { send: SendStatusResponse; answeredAt: number }) {
  const { t, i18n } = useTranslation('sends');
  const { recipients, batches, progress } = send;
  const settled = recipients.total - recipients.pending;
  const percent = recipients.total === 0 ? 100 : Math.floor((settled / recipients.total) * 100);
  const eta = relativeTime(progress.estimatedCompletionAt, answeredAt, i18n.language);
  return (
    <Card title={t('detail.progress.title')} style={{ height: '100%' }}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <div>
          <Progress percent={percent} status={recipients.pending > 0 ? 'active' : 'normal'} aria-label={t('detail.progress.title')} />
          <Typography.Text>
            {t('detail.progress.settled', { settled: settled.toLocaleString(), total: recipients.total.toLocaleString() })}
          </Typography.Text>
        </div>
        {progress.paused && (
          <Alert
            type="warning"
            showIcon
            title={t('detail.progress.paused')}
            description={
              <>
                <div>
                  <Typography.Text code>{progress.paused.code}</Typography.Text> {progress.paused.reason}
                </div>
                <div>
                  {t('detail.progress.pausedUntil')} <DateTime value={progress.paused.until} />
                </div>
              </>
            }
          />
        )}
        {progress.ambiguousCalls > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('detail.progress.ambiguous', { n: progress.ambiguousCalls })}
            description={t(send.deliveryPolicy === 'at-least-once' ? 'detail.progress.ambiguousAtLeastOnce' : 'detail.progress.ambiguousAtMostOnce')}
          />
        )}
        <Descriptions
          column={1}
          size="small"
          items={[
            {
              key: 'batches',
              label: t('detail.progress.batches'),
              children: t('detail.progress.batchesRemaining', { remaining: batches.remaining.toLocaleString(), total: batches.total.toLocaleString() }),
            },
            { key: 'ahead', label: t('detail.progress.batchesAhead'), children: progress.batchesAhead.toLocaleString() },
            {
              key: 'eta',
              label: t('detail.progress.eta'),
              children: progress.estimatedCompletionAt ? (
                <span>
                  <DateTime value={progress.estimatedCompletionAt} />
                  {eta && <Typography.Text type="secondary"> ({eta})</Typography.Text>}
                </span>
              ) : (
                <Typography.Text type="secondary">{t('detail.progress.noEta')}</Typography.Text>
              ),
            },
            { key: 'ambiguousCalls', label: t('detail.progress.ambiguousCalls'), children: progress.ambiguousCalls.toLocaleString() },
          ]}
        />
      </Space>
    </Card>
  );
}
