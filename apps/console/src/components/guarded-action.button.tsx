import { App, Button, type ButtonProps, Popconfirm, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from './api-error.alert';

export interface GuardedActionProps {
  /** Whether the signed-in key's role and scope allow the action; when not, the button stays visible but disabled. */
  allowed: boolean;
  /** Shown in the confirmation before anything is sent. */
  confirm: { title: ReactNode; description?: ReactNode; okText: ReactNode };
  onConfirm: () => Promise<unknown>;
  loading?: boolean;
  danger?: boolean;
  icon?: ReactNode;
  children: ReactNode;
  buttonProps?: Omit<ButtonProps, 'onClick' | 'disabled' | 'danger' | 'icon' | 'loading'>;
}

/**
 * A button that changes something (cancel, recall, revoke…): behind a confirmation, disabled with the reason when the
 * key may not do it, and the API's refusal (a 403 included) shown in a dialog with its request id. The API is what
 * enforces the rule; the disabled state only spares the user a refusal.
 */
export function GuardedActionButton({ allowed, confirm, onConfirm, loading, danger, icon, children, buttonProps }: GuardedActionProps) {
  const { t } = useTranslation('common');
  const { modal } = App.useApp();
  const run = async () => {
    try {
      await onConfirm();
    } catch (error) {
      modal.error({ title: t('actionFailed'), content: <ApiErrorAlert error={error} />, width: 560 });
    }
  };
  const button = (
    <Button {...buttonProps} danger={danger} icon={icon} loading={loading} disabled={!allowed}>
      {children}
    </Button>
  );
  if (!allowed) return <Tooltip title={t('notAllowed')}>{button}</Tooltip>;
  return (
    <Popconfirm title={confirm.title} description={confirm.description} okText={confirm.okText} cancelText={t('cancel')} okButtonProps={{ danger }} onConfirm={run}>
      {button}
    </Popconfirm>
  );
}
