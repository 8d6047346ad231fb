import { Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

/** The browser's time zone: every time the console shows or asks for is in it. */
export const USER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `2026-12-07 10:03:12` in the user's time zone; the exact instant (UTC, ISO-8601) on hover. Empty value: a dash. */
export function DateTime({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation('common');
  if (!value) return <span aria-label={t('none')}>–</span>;
  return (
    <Tooltip title={`${new Date(value).toISOString()} · ${USER_TIME_ZONE}`}>
      <time dateTime={value}>{dayjs(value).format('YYYY-MM-DD HH:mm:ss')}</time>
    </Tooltip>
  );
}
