import type { ChatConfigurationResponse } from '@dingrelay/contracts/client';
import { useTranslation } from 'react-i18next';
import { CopyableSecret, ShownOnceSecretsModal } from '../../components/shown-once-secrets.modal';

export type CallbackSecrets = ChatConfigurationResponse['outputs'] & { name: string };

/**
 * The one time a configuration's callback URL, AesKey and token are shown in full: right after it was created. From
 * then on every answer shows `******`.
 */
export function CallbackSecretsModal({ secrets, onClose }: { secrets: CallbackSecrets | null; onClose: () => void }) {
  const { t } = useTranslation('configurations');
  return (
    <ShownOnceSecretsModal
      open={secrets !== null}
      title={t('secrets.title', { name: secrets?.name ?? '' })}
      width={680}
      warningTitle={t('secrets.warningTitle')}
      warning={t('secrets.warning')}
      doneLabel={t('secrets.done')}
      onClose={onClose}
      items={
        secrets && [
          { key: 'url', label: t('fields.callbackUrl'), children: <Secret value={secrets.url} label={t('fields.callbackUrl')} /> },
          { key: 'aesKey', label: t('fields.aesKey'), children: <Secret value={secrets.aesKey} label={t('fields.aesKey')} /> },
          { key: 'callbackToken', label: t('fields.callbackToken'), children: <Secret value={secrets.callbackToken} label={t('fields.callbackToken')} /> },
        ]
      }
    />
  );
}

function Secret({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation('configurations');
  return <CopyableSecret value={value} copyLabel={t('secrets.copy', { label })} copiedLabel={t('secrets.copied')} />;
}
