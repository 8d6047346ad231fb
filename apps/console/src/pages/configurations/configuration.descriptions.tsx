import type { ChatConfigurationResponse } from '@dingrelay/contracts/client';
import { Card, Descriptions, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/date-time';
import { ConfigurationStatusTag, ConfigurationTags } from './configuration-status.tag';

/** Every field of a configuration as the API answers it: secrets stay the `******` it sends. */
export function ConfigurationDescriptions({ configuration }: { configuration: ChatConfigurationResponse }) {
  const { t, i18n } = useTranslation('configurations');
  const c = configuration.configuration;
  const orDefault = (value: ReactNode | null) => (value === null ? <Typography.Text type="secondary">{t('serverDefault')}</Typography.Text> : value);
  const orNone = (value: string | null) => (value === null || value === '' ? '–' : value);
  const code = (value: string | null) => (value === null ? '–' : <Typography.Text code>{value}</Typography.Text>);

  return (
    <>
      <Card title={t('sections.general')} size="small">
        <Descriptions
          column={{ xs: 1, md: 2 }}
          size="small"
          items={[
            { key: 'name', label: t('fields.name'), children: <Typography.Text copyable>{configuration.name}</Typography.Text> },
            { key: 'type', label: t('fields.type'), children: t(`type.${configuration.type}`) },
            { key: 'status', label: t('fields.status'), children: <ConfigurationStatusTag status={configuration.status} /> },
            { key: 'tags', label: t('fields.tags'), children: <ConfigurationTags tags={configuration.tags} /> },
            { key: 'ramRole', label: t('fields.ramRole'), children: orNone(configuration.ramRole) },
            { key: 'resourceGroupId', label: t('fields.resourceGroupId'), children: orNone(configuration.resourceGroupId) },
            { key: 'createdAt', label: t('fields.createdAt'), children: <DateTime value={configuration.createdAt} /> },
            { key: 'updatedAt', label: t('fields.updatedAt'), children: <DateTime value={configuration.updatedAt} /> },
          ]}
        />
      </Card>
      <Card title={t('sections.app')} size="small">
        <Descriptions
          column={{ xs: 1, md: 2 }}
          size="small"
          items={[
            { key: 'clientId', label: t('fields.clientId'), children: code(c.clientId) },
            { key: 'clientSecret', label: t('fields.clientSecret'), children: code(c.clientSecret) },
            { key: 'robotCode', label: t('fields.robotCode'), children: code(c.robotCode) },
            { key: 'templateId', label: t('fields.templateId'), children: orNone(c.templateId) },
          ]}
        />
      </Card>
      <Card title={t('sections.pace')} size="small">
        <Descriptions
          column={{ xs: 1, md: 3 }}
          size="small"
          items={[
            { key: 'callsPerSecond', label: t('fields.callsPerSecond'), children: orDefault(c.callsPerSecond === null ? null : t('values.callsPerSecond', { value: c.callsPerSecond })) },
            { key: 'paceUtilization', label: t('fields.paceUtilization'), children: orDefault(c.paceUtilization === null ? null : t('values.percent', { value: Math.round(c.paceUtilization * 1000) / 10 })) },
            { key: 'monthlyCallQuota', label: t('fields.monthlyCallQuota'), children: orDefault(c.monthlyCallQuota === null ? null : c.monthlyCallQuota.toLocaleString(i18n.language)) },
          ]}
        />
      </Card>
      <Card title={t('sections.outputs')} size="small">
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'url', label: t('fields.callbackUrl'), children: <Typography.Text copyable code>{configuration.outputs.url}</Typography.Text> },
            { key: 'aesKey', label: t('fields.aesKey'), children: code(configuration.outputs.aesKey) },
            { key: 'callbackToken', label: t('fields.callbackToken'), children: code(configuration.outputs.callbackToken) },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('detail.secretsMasked')}
        </Typography.Paragraph>
      </Card>
    </>
  );
}
