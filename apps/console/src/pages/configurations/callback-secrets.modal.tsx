import type { ChatConfigurationResponse } from '@dingrelay/contracts/client';
import { Alert, Button, Descriptions, Flex, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export type CallbackSecrets = ChatConfigurationResponse['outputs'] & { name: string };

/**
 * The one time a configuration's callback URL, AesKey and token are shown in full: right after it was created.
 * The values live only in the creating page's state while this dialog is open; closing it drops them, and from then
 * on every answer shows `******`. Closing takes a deliberate click (no Esc, no click outside).
 */
export function CallbackSecretsModal({ secrets, onClose }: { secrets: CallbackSecrets | null; onClose: () => void }) {
  const { t } = useTranslation('configurations');
  return (
    <Modal
      open={secrets !== null}
      title={t('secrets.title', { name: secrets?.name ?? '' })}
      closable={false}
      keyboard={false}
      mask={{ closable: false }}
      destroyOnHidden
      width={680}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('secrets.done')}
        </Button>
      }
    >
      {secrets && (
        <Flex vertical gap="middle">
          <Alert type="warning" showIcon title={t('secrets.warningTitle')} description={t('secrets.warning')} />
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'url', label: t('fields.callbackUrl'), children: <Secret value={secrets.url} label={t('fields.callbackUrl')} /> },
              { key: 'aesKey', label: t('fields.aesKey'), children: <Secret value={secrets.aesKey} label={t('fields.aesKey')} /> },
              { key: 'callbackToken', label: t('fields.callbackToken'), children: <Secret value={secrets.callbackToken} label={t('fields.callbackToken')} /> },
            ]}
          />
        </Flex>
      )}
    </Modal>
  );
}

function Secret({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation('configurations');
  return (
    <Typography.Text code copyable={{ text: value, tooltips: [t('secrets.copy', { label }), t('secrets.copied')] }} style={{ wordBreak: 'break-all' }}>
      {value}
    </Typography.Text>
  );
}
