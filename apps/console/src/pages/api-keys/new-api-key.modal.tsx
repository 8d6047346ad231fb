import type { ApiKeyResponse } from '@dingrelay/contracts/client';
import { useTranslation } from 'react-i18next';
import { CopyableSecret, ShownOnceSecretsModal } from '../../components/shown-once-secrets.modal';

export type NewApiKey = Pick<ApiKeyResponse, 'name' | 'role' | 'prefix'> & { key: string };

/** The one time a new key's secret is shown; the API keeps only its hash. */
export function NewApiKeyModal({ created, onClose }: { created: NewApiKey | null; onClose: () => void }) {
  const { t } = useTranslation('apiKeys');
  return (
    <ShownOnceSecretsModal
      open={created !== null}
      title={t('created.title', { name: created?.name ?? '' })}
      width={640}
      warningTitle={t('created.warningTitle')}
      warning={t('created.warning')}
      doneLabel={t('created.done')}
      onClose={onClose}
      items={
        created && [
          { key: 'role', label: t('fields.role'), children: t(`common:roles.${created.role}`) },
          { key: 'key', label: t('fields.key'), children: <CopyableSecret value={created.key} copyLabel={t('created.copy')} copiedLabel={t('created.copied')} /> },
        ]
      }
    />
  );
}
