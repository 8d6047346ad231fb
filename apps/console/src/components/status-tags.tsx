import type { RecipientStatus, SendStatus } from '@dingrelay/contracts/client';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Tag colours per status (antd presets), also for the plain tags of the long tables. */
export const SEND_COLORS: Record<SendStatus, string> = { accepted: 'default', delivering: 'processing', completed: 'success', cancelled: 'warning' };
export const RECIPIENT_COLORS: Record<RecipientStatus, string> = {
  pending: 'processing',
  delivered: 'success',
  invalid: 'orange',
  failed: 'error',
  cancelled: 'default',
  unknown: 'purple',
};

export function SendStatusTag({ status }: { status: SendStatus }) {
  const { t } = useTranslation('common');
  return <Tag color={SEND_COLORS[status]}>{t(`sendStatus.${status}`)}</Tag>;
}

export function RecipientStatusTag({ status }: { status: RecipientStatus }) {
  const { t } = useTranslation('common');
  return <Tag color={RECIPIENT_COLORS[status]}>{t(`recipientStatus.${status}`)}</Tag>;
}

/** The colours charts use for each recipient status, the same as the tags'. */
export const RECIPIENT_STATUS_CHART_COLORS: Record<RecipientStatus, string> = {
  pending: '#1677ff',
  delivered: '#52c41a',
  invalid: '#fa8c16',
  failed: '#ff4d4f',
  cancelled: '#bfbfbf',
  unknown: '#722ed1',
};

export const SEND_STATUS_CHART_COLORS: Record<SendStatus, string> = {
  accepted: '#8c8c8c',
  delivering: '#1677ff',
  completed: '#52c41a',
  cancelled: '#faad14',
};
