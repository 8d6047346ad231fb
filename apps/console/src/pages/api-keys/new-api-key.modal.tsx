import type { ApiKeyResponse } from '@dingrelay/contracts/client';
import { Alert, Button, Descriptions, Flex, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export type NewApiKey = Pick<ApiKeyResponse, 'name' | 'role' | 'prefix'> & { key: string };

/**
 * The one time a new key's secret is shown. It lives only in the page's state while this dialog is open; closing it
 * (a deliberate click: no Esc, no click outside) drops it, and the API keeps only its hash.
 */
export function NewApiKeyModal({ created, onClose }: { created: NewApiKey | null; onClose: () => void }) {
  const { t } = useTranslation('apiKeys');
  return (
    <Modal
      open={created !== null}
      title={t('created.title', { name: created?.name ?? '' })}
      closable={false}
      keyboard={false}
      mask={{ closable: false }}
      destroyOnHidden
      width={640}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('created.done')}
        </Button>
      }
    >
      {created && (
        <Flex vertical gap="middle">
          <Alert type="warning" showIcon title={t('created.warningTitle')} description={t('created.warning')} />
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'role', label: t('fields.role'), children: t(`common:roles.${created.role}`) },
              {
                key: 'key',
                label: t('fields.key'),
                children: (
                  <Typography.Text code copyable={{ text: created.key, tooltips: [t('created.copy'), t('created.copied')] }} style={{ wordBreak: 'break-all' }}>
                    {created.key}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </Flex>
      )}
    </Modal>
  );
}
