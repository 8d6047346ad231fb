import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { USER_TIME_ZONE } from '../../components/date-time';

/*
 * Cells for the long history tables. A page renders 100 rows within a 300 ms budget, so a cell is plain markup:
 * no tooltip or popover per cell (the exact instant is the native title), no query, no state.
 */

/** `2026-12-07 10:03:12` in the user's time zone; the UTC instant on hover. */
export function TimeCell({ value }: { value: string | null | undefined }) {
  if (!value) return <span aria-hidden>–</span>;
  return (
    <time dateTime={value} title={`${value} · ${USER_TIME_ZONE}`} style={{ whiteSpace: 'nowrap' }}>
      {dayjs(value).format('YYYY-MM-DD HH:mm:ss')}
    </time>
  );
}

/** Read state of a delivered message: read (with when), unread, or not checked yet. */
export function ReadStateCell({ status, readAt, delivered }: { status: string | null; readAt: string | null; delivered: boolean }) {
  const { t } = useTranslation('sends');
  if (!delivered) return <span aria-hidden>–</span>;
  if (status === 'read') {
    return (
      <span>
        <Tag color="success">{t('readState.read')}</Tag>
        <TimeCell value={readAt} />
      </span>
    );
  }
  if (status === 'unread') return <Tag color="warning">{t('readState.unread')}</Tag>;
  return <Tag>{t('readState.notChecked')}</Tag>;
}

/** How a recall ended for this message: recalled (when), or failed with the reason; nothing if none was asked. */
export function RecallStateCell({ status, reason, recalledAt }: { status: string | null; reason: string | null; recalledAt: string | null }) {
  const { t } = useTranslation('sends');
  const explanation = useReasonExplanation(reason);
  if (status === 'recalled') {
    return (
      <span>
        <Tag color="purple">{t('recallState.recalled')}</Tag>
        <TimeCell value={recalledAt} />
      </span>
    );
  }
  if (status === 'failed') {
    return (
      <span>
        <Tag color="error">{t('recallState.failed')}</Tag>
        {reason && <Typography.Text code>{reason}</Typography.Text>} {explanation}
      </span>
    );
  }
  return <span aria-hidden>–</span>;
}

/** A DingTalk or dingrelay code, with the message (or the console's explanation) as plain text after it. */
export function ReasonCell({ code, message }: { code: string | null; message: string | null }) {
  const explanation = useReasonExplanation(code);
  if (!code && !message) return null;
  // Wraps within its column: DingTalk's messages can be long, the other columns must stay readable.
  return (
    <span style={{ display: 'inline-block', maxWidth: 360, whiteSpace: 'normal' }}>
      {code && <Typography.Text code>{code}</Typography.Text>} <span>{explanation ?? message}</span>
      {explanation && message && <Typography.Text type="secondary"> ({message})</Typography.Text>}
    </span>
  );
}

const DINGRELAY_REASONS: Record<string, string> = {
  'dingrelay.invalidStaffId': 'invalidStaffId',
  'dingrelay.filteredStaffId': 'filteredStaffId',
  'dingrelay.flowControlExhausted': 'flowControlExhausted',
  'dingrelay.ambiguousNotResent': 'ambiguousNotResent',
  'dingrelay.cancelled': 'cancelled',
  'dingrelay.recallNoAnswer': 'recallNoAnswer',
  'dingrelay.chatConfigurationMissing': 'chatConfigurationMissing',
  expired: 'recallExpired',
};

/** dingrelay's own reason codes explained in the user's language; DingTalk's codes come with DingTalk's message. */
export function useReasonExplanation(code: string | null): string | null {
  const { t } = useTranslation('sends');
  const key = code ? DINGRELAY_REASONS[code] : undefined;
  return key ? t(`reasons.${key}`) : null;
}
