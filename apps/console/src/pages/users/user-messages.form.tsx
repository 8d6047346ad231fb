import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { type MsgKey, RECIPIENT_STATUSES, type RecipientStatus } from '@dingrelay/contracts/client';
import { Button, Col, Form, Input, Row, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ConfigurationField,
  type CreatedRange,
  CreatedRangeField,
  instantsFromRange,
  MsgKeyField,
  optionalText,
  rangeFromInstants,
  showFieldErrors,
} from '../sends/history-filter.fields';
import type { UserMessagesFilters } from './user-messages.filters';

interface FormValues {
  userId?: string;
  chatConfiguration?: string;
  robotCode?: string;
  msgKey?: MsgKey;
  status?: RecipientStatus;
  created?: CreatedRange;
}

const FIELDS = ['userId', 'chatConfiguration', 'robotCode', 'msgKey', 'status', 'created'] as const;

export function toFormValues(filters: UserMessagesFilters): FormValues {
  const { createdFrom, createdTo, ...rest } = filters;
  return { ...rest, created: rangeFromInstants(createdFrom, createdTo) };
}

export function fromFormValues(values: FormValues): UserMessagesFilters {
  return {
    userId: optionalText(values.userId),
    chatConfiguration: optionalText(values.chatConfiguration),
    robotCode: optionalText(values.robotCode),
    msgKey: values.msgKey ?? undefined,
    status: values.status ?? undefined,
    ...instantsFromRange(values.created),
  };
}

/** Whose messages, and which: written to the URL on search, read back from it (shared links, back button). */
export function UserMessagesForm({ filters, onSearch, error }: { filters: UserMessagesFilters; onSearch: (filters: UserMessagesFilters) => void; error: unknown }) {
  const { t } = useTranslation('users');
  const [form] = Form.useForm<FormValues>();

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toFormValues(filters));
  }, [filters, form]);

  useEffect(() => {
    showFieldErrors(form, error, FIELDS);
  }, [error, form]);

  return (
    <Form form={form} name="user-filters" layout="vertical" onFinish={(values) => onSearch(fromFormValues(values))} role="search" aria-label={t('filters.title')}>
      <Row gutter={16}>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <Form.Item name="userId" label={t('filters.userId')} rules={[{ required: true, whitespace: true, message: t('filters.userIdRequired') }]}>
            <Input allowClear placeholder={t('filters.userIdPlaceholder')} autoFocus={!filters.userId} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <ConfigurationField current={filters.chatConfiguration} />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <Form.Item name="robotCode" label={t('filters.robotCode')}>
            <Input allowClear />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <MsgKeyField />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <Form.Item name="status" label={t('filters.status')}>
            <Select<RecipientStatus>
              allowClear
              aria-label={t('filters.status')}
              placeholder={t('filters.any')}
              options={RECIPIENT_STATUSES.map((status) => ({ value: status, label: t(`common:recipientStatus.${status}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} lg={16} xl={12}>
          <CreatedRangeField />
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          {t('filters.search')}
        </Button>
        <Button icon={<UndoOutlined />} onClick={() => onSearch({ userId: filters.userId })}>
          {t('filters.reset')}
        </Button>
      </Space>
    </Form>
  );
}
