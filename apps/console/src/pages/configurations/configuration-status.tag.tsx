import type { ChatConfigurationStatus } from '@dingrelay/contracts/client';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export function ConfigurationStatusTag({ status }: { status: ChatConfigurationStatus }) {
  const { t } = useTranslation('configurations');
  return <Tag color={status === 'active' ? 'success' : 'default'}>{t(`status.${status}`)}</Tag>;
}

/** Tags as `key=value` chips (`key` alone when the value is empty). */
export function ConfigurationTags({ tags }: { tags: Record<string, string> }) {
  const { t } = useTranslation('common');
  const entries = Object.entries(tags);
  if (entries.length === 0) return <span aria-label={t('none')}>–</span>;
  return (
    <>
      {entries.map(([key, value]) => (
        <Tag key={key}>{value === '' ? key : `${key}=${value}`}</Tag>
      ))}
    </>
  );
}
