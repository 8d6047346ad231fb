import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { SEND_STATUSES, type MsgKey, type SendStatus } from '@dingrelay/contracts/client';
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
} from './history-filter.fields';
import type { SendHistoryFilters } from './send-history.filters';

interface FormValues {
  chatConfiguration?: string;
  robotCode?: string;
  msgKey?: MsgKey;
  status?: SendStatus;
  created?: CreatedRange;
  requester?: string;
  idempotencyKey?: string;
}

const FIELDS = ['chatConfiguration', 'robotCode', 'msgKey', 'status', 'created', 'requester', 'idempotencyKey'] as const;

export function toFormValues(filters: SendHistoryFilters): FormValues {
  const { createdFrom, createdTo, ...rest } = filters;
  return { ...rest, created: rangeFromInstants(createdFrom, createdTo) };
}

export function fromFormValues(values: FormValues): SendHistoryFilters {
  return {
    chatConfiguration: optionalText(values.chatConfiguration),
    robotCode: optionalText(values.robotCode),
    msgKey: values.msgKey ?? undefined,
    status: values.status ?? undefined,
    ...instantsFromRange(values.created),
    requester: optionalText(values.requester),
    idempotencyKey: optionalText(values.idempotencyKey),
  };
}

/**
 * The history's filter bar. It shows what the URL says (a shared link, the back button) and writes the URL on
 * search; a 400 from the API puts its field problems under the fields.
 */
export function SendHistoryForm({ filters, onSearch, error }: { filters: SendHistoryFilters; onSearch: (filters: SendHistoryFilters) => void; error: unknown }) {
  const { t } = useTranslation('sends');
  const [form] = Form.useForm<FormValues>();

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toFormValues(filters));
  }, [filters, form]);

  useEffect(() => {
    showFieldErrors(form, error, FIELDS);
  }, [error, form]);

  return (
    <Form form={form} name="send-filters" layout="vertical" onFinish={(values) => onSearch(fromFormValues(values))} role="search" aria-label={t('filters.title')}>
      <Row gutter={16}>
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
            <Select<SendStatus>
              allowClear
              aria-label={t('filters.status')}
              placeholder={t('filters.any')}
              options={SEND_STATUSES.map((status) => ({ value: status, label: t(`common:sendStatus.${status}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} lg={16} xl={12}>
          <CreatedRangeField />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <Form.Item name="requester" label={t('filters.requester')} tooltip={t('filters.requesterHint')}>
            <Input allowClear />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <Form.Item name="idempotencyKey" label={t('filters.idempotencyKey')}>
            <Input allowClear />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          {t('filters.search')}
        </Button>
        <Button icon={<UndoOutlined />} onClick={() => onSearch({})}>
          {t('filters.reset')}
        </Button>
      </Space>
    </Form>
  );
}
