import { theme, Tooltip, Typography } from 'antd';

/**
 * A long identifier (UUID, request id) shortened to its first 8 characters, which tell rows apart at a glance;
 * the whole value is in the tooltip, in the copy button and in the accessible name.
 */
export function ShortId({ value, label }: { value: string; label: string }) {
  const { token } = theme.useToken();
  const short = value.length > 12 ? `${value.slice(0, 8)}…` : value;
  return (
    <Tooltip title={value}>
      <Typography.Text code copyable={{ text: value }} aria-label={`${label} ${value}`} style={{ fontSize: token.fontSizeSM, whiteSpace: 'nowrap' }}>
        {short}
      </Typography.Text>
    </Tooltip>
  );
}
