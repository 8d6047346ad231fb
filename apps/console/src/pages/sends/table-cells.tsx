import type { RecipientStatus, SendStatus } from '@dingrelay/contracts/client';
import { theme } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { type CSSProperties, type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { USER_TIME_ZONE } from '../../components/date-time';
import { RECIPIENT_COLORS, SEND_COLORS } from '../../components/status-tags';

/*
 * Cells for the long tables (history, a user's messages, a send's recipients). A page renders 100 rows within a
 * 300 ms budget, so cells are plain markup made by functions the table gets once: no hook, tooltip or query per
 * cell (the exact instant is the native title). Statuses are tags drawn with plain spans in antd's tag colours:
 * antd's Tag costs a theme lookup and style hooks per instance, the largest part of a row.
 */

const DASH = <span aria-hidden>–</span>;

/** `2026-12-07 10:03:12` in the user's time zone; the UTC instant on hover. */
export function timeCell(value: string | null | undefined): ReactNode {
  if (!value) return DASH;
  return (
    <time dateTime={value} title={`${value} · ${USER_TIME_ZONE}`} style={{ whiteSpace: 'nowrap' }}>
      {dayjs(value).format('YYYY-MM-DD HH:mm:ss')}
    </time>
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
  'dingrelay.chatConfigurationDeleted': 'chatConfigurationDeleted',
  expired: 'recallExpired',
};

/** dingrelay's own reason codes explained in the user's language; DingTalk's codes come with DingTalk's message. */
export function reasonExplanation(t: TFunction, code: string | null): string | null {
  const key = code ? DINGRELAY_REASONS[code] : undefined;
  return key ? t(`sends:reasons.${key}`) : null;
}

type TagColor = 'default' | 'success' | 'processing' | 'warning' | 'error' | 'orange' | 'purple';

export interface CellRenderers {
  time: typeof timeCell;
  sendStatus(status: SendStatus): ReactNode;
  recipientStatus(status: RecipientStatus): ReactNode;
  /** A code as it came (DingTalk's or dingrelay's), monospaced. */
  code(value: string): ReactNode;
  /** A reason code with DingTalk's message, or the console's explanation of dingrelay's own code. */
  reason(code: string | null, message: string | null): ReactNode;
  /** Read (with when), unread, or not checked yet; nothing for a message that was not delivered. */
  readState(status: string | null, readAt: string | null, delivered: boolean): ReactNode;
  /** Recalled (when), or not recalled with the reason; nothing when no recall was asked. */
  recallState(status: string | null, reason: string | null, recalledAt: string | null): ReactNode;
}

/** The cell functions for one table, made once per language. */
export function useCellRenderers(): CellRenderers {
  const { t } = useTranslation('sends');
  const { token } = theme.useToken();
  return useMemo(() => {
    const codeStyle: CSSProperties = {
      fontFamily: token.fontFamilyCode,
      fontSize: token.fontSizeSM,
      background: token.colorFillTertiary,
      border: `1px solid ${token.colorBorderSecondary}`,
      borderRadius: token.borderRadiusSM,
      padding: '0 4px',
      marginInlineEnd: 4,
    };
    const secondary: CSSProperties = { color: token.colorTextSecondary };
    const code = (value: string) => <code style={codeStyle}>{value}</code>;
    const palette: Record<TagColor, [text: string, background: string, border: string]> = {
      default: [token.colorText, token.colorFillQuaternary, token.colorBorder],
      success: [token.colorSuccess, token.colorSuccessBg, token.colorSuccessBorder],
      processing: [token.colorInfo, token.colorInfoBg, token.colorInfoBorder],
      warning: [token.colorWarning, token.colorWarningBg, token.colorWarningBorder],
      error: [token.colorError, token.colorErrorBg, token.colorErrorBorder],
      orange: [token.orange7, token.orange1, token.orange3],
      purple: [token.purple7, token.purple1, token.purple3],
    };
    const tagStyles = Object.fromEntries(
      Object.entries(palette).map(([name, [color, background, border]]) => [
        name,
        {
          display: 'inline-block',
          color,
          background,
          border: `1px solid ${border}`,
          borderRadius: token.borderRadiusSM,
          fontSize: token.fontSizeSM,
          lineHeight: `${Math.round(token.fontSizeSM * token.lineHeightSM)}px`,
          padding: '0 7px',
          marginInlineEnd: 8,
          whiteSpace: 'nowrap',
        } satisfies CSSProperties,
      ]),
    ) as Record<TagColor, CSSProperties>;
    const tag = (color: string, text: string) => <span style={tagStyles[color as TagColor] ?? tagStyles.default}>{text}</span>;
    return {
      time: timeCell,
      sendStatus: (status) => tag(SEND_COLORS[status], t(`common:sendStatus.${status}`)),
      recipientStatus: (status) => tag(RECIPIENT_COLORS[status], t(`common:recipientStatus.${status}`)),
      code,
      reason(reasonCode, message) {
        if (!reasonCode && !message) return null;
        const explanation = reasonExplanation(t, reasonCode);
        // Wraps within its column: DingTalk's messages can be long, the other columns must stay readable.
        return (
          <span style={{ display: 'inline-block', maxWidth: 360, whiteSpace: 'normal' }}>
            {reasonCode && code(reasonCode)}
            {explanation ?? message}
            {explanation && message && <span style={secondary}> ({message})</span>}
          </span>
        );
      },
      readState(status, readAt, delivered) {
        if (!delivered) return DASH;
        if (status === 'read') {
          return (
            <span style={{ whiteSpace: 'nowrap' }}>
              {tag('success', t('readState.read'))}
              {timeCell(readAt)}
            </span>
          );
        }
        if (status === 'unread') return tag('warning', t('readState.unread'));
        return tag('default', t('readState.notChecked'));
      },
      recallState(status, reason, recalledAt) {
        if (status === 'recalled') {
          return (
            <span style={{ whiteSpace: 'nowrap' }}>
              {tag('purple', t('recallState.recalled'))}
              {timeCell(recalledAt)}
            </span>
          );
        }
        if (status !== 'failed') return DASH;
        return (
          <span>
            {tag('error', t('recallState.failed'))}
            {reason && code(reason)}
            {reasonExplanation(t, reason)}
          </span>
        );
      },
    };
  }, [t, token]);
}
