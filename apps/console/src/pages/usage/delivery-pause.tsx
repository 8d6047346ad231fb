import type { ConfigurationUsage } from '@dingrelay/contracts/client';
import { Alert, Flex, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';

type Pause = NonNullable<ConfigurationUsage['pause']>;

/** Why deliveries are held, in words when the console knows the reason (only a spent quota pauses today). */
function usePauseReason(): (pause: Pause) => string {
  const { t } = useTranslation('usage');
  return (pause) => (pause.reason === 'quota-exhausted' ? t('pause.reasons.quotaExhausted') : pause.reason);
}

/** In a table: "Paused" with until when; the reason and DingTalk's code on hover. */
export function DeliveryPauseTag({ pause }: { pause: Pause | null }) {
  const { t } = useTranslation('usage');
  const reason = usePauseReason();
  if (!pause) return <Tag color="success">{t('pause.running')}</Tag>;
  return (
    <Tooltip title={`${reason(pause)} · ${pause.code}${pause.message ? ` · ${pause.message}` : ''}`}>
      <Flex vertical align="flex-start" gap={2}>
        <Tag color="error">{t('pause.paused')}</Tag>
        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
          {t('pause.until')} <DateTime value={pause.until} />
        </Typography.Text>
      </Flex>
    </Tooltip>
  );
}

/** On the overview: one alert per paused configuration, saying why, since and until when. */
export function DeliveryPauseAlert({ chatConfiguration, pause }: { chatConfiguration: string; pause: Pause }) {
  const { t } = useTranslation('usage');
  const reason = usePauseReason();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={t('pause.alertTitle', { name: chatConfiguration })}
      description={
        <>
          <div>
            {reason(pause)} <Typography.Text code>{pause.code}</Typography.Text>
          </div>
          {pause.message && <div>{pause.message}</div>}
          <div>
            {t('pause.since')} <DateTime value={pause.since} /> · {t('pause.until')} <DateTime value={pause.until} />
          </div>
          <div>{t('pause.resumes')}</div>
        </>
      }
    />
  );
}
