import { CHAT_CONFIGURATION_STATUSES, CHAT_CONFIGURATION_TYPES } from '@dingrelay/contracts/client';
import { Button, Form, Input, Select, theme } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type ConfigurationFilters, DEFAULT_PAGE_SIZE, isTagFilter, PAGE_SIZES } from './configuration-filters';

/** The filter bar above the list; applying it rewrites the URL (and so starts from the first page). */
export function ConfigurationFiltersForm({ filters, onApply, form }: { filters: Partial<ConfigurationFilters>; onApply: (filters: Partial<ConfigurationFilters>) => void; form: ReturnType<typeof Form.useForm<ConfigurationFilters>>[0] }) {
  const { t } = useTranslation('configurations');
  const { token } = theme.useToken();

  // The URL is the source of truth: back/forward and shared links refill the bar.
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue({ ...filters, maxResults: filters.maxResults ?? DEFAULT_PAGE_SIZE });
  }, [filters, form]);

  return (
    <Form
      form={form}
      layout="inline"
      role="search"
      aria-label={t('list.filters')}
      onFinish={(values) => onApply({ ...values, name: values.name?.trim(), tag: values.tag?.trim(), maxResults: values.maxResults === DEFAULT_PAGE_SIZE ? undefined : values.maxResults })}
      style={{ rowGap: token.marginSM, marginBottom: token.marginMD }}
    >
      <Form.Item name="name" label={t('list.namePrefix')}>
        <Input allowClear placeholder={t('list.namePrefixPlaceholder')} maxLength={128} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="type" label={t('fields.type')}>
        <Select allowClear placeholder={t('list.any')} style={{ width: 140 }} options={CHAT_CONFIGURATION_TYPES.map((type) => ({ value: type, label: t(`type.${type}`) }))} />
      </Form.Item>
      <Form.Item name="status" label={t('fields.status')}>
        <Select allowClear placeholder={t('list.any')} style={{ width: 140 }} options={CHAT_CONFIGURATION_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))} />
      </Form.Item>
      <Form.Item
        name="tag"
        label={t('fields.tags')}
        rules={[{ validator: async (_rule, value?: string) => { if (value && value.trim() !== '' && !isTagFilter(value.trim())) throw new Error(t('list.tagInvalid')); } }]}
      >
        <Input allowClear placeholder={t('list.tagPlaceholder')} maxLength={400} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="maxResults" label={t('list.pageSize')}>
        <Select style={{ width: 90 }} options={PAGE_SIZES.map((size) => ({ value: size, label: String(size) }))} />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit">
          {t('list.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button onClick={() => onApply({})}>{t('list.reset')}</Button>
      </Form.Item>
    </Form>
  );
}
