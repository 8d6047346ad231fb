import { Button, type ButtonProps, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * A button that opens a change (a form, a dialog) rather than making one, so it needs no confirmation of its own:
 * disabled with the reason for a key that may not change anything, never hidden, so an auditor sees what exists.
 */
export function AdminActionButton({ allowed, ...props }: ButtonProps & { allowed: boolean }) {
  const { t } = useTranslation('common');
  const button = <Button {...props} disabled={!allowed || props.disabled} />;
  return allowed ? button : <Tooltip title={t('notAllowed')}>{button}</Tooltip>;
}
