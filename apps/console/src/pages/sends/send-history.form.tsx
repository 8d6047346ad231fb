import { SEND_STATUSES, type SendStatus } from '@dingrelay/contracts/client';
import { Col, Form, Input, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  ConfigurationField,
  CreatedRangeField,
  HistoryFilterActions,
  type HistoryFormValues,
  historyFiltersFromForm,
  MsgKeyField,
  optionalText,
  RobotCodeField,
  StatusField,
  useHistoryFilterForm,
  withCreatedRange,
} from './history-filter.fields';
import type { SendHistoryFilters } from './send-history.filters';

interface FormValues extends HistoryFormValues<SendStatus> {
  requester?: string;
  idempotencyKey?: string;
}

const FIELDS = ['chatConfiguration', 'robotCode', 'msgKey', 'status', 'created', 'requester', 'idempotencyKey'] as const;

export function toFormValues(filters: SendHistoryFilters): FormValues {
  return withCreatedRange(filters);
}

export function fromFormValues(values: FormValues): SendHistoryFilters {
  return {
    ...historyFiltersFromForm(values),
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
  const form = useHistoryFilterForm(filters, toFormValues, error, FIELDS);

  return (
    <Form form={form} name="send-filters" layout="vertical" onFinish={(values) => onSearch(fromFormValues(values))} role="search" aria-label={t('filters.title')}>
      <Row gutter={16}>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <ConfigurationField current={filters.chatConfiguration} />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <RobotCodeField />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <MsgKeyField />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <StatusField label={t('filters.status')} options={SEND_STATUSES.map((status) => ({ value: status, label: t(`common:sendStatus.${status}`) }))} />
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
      <HistoryFilterActions searchLabel={t('filters.search')} resetLabel={t('filters.reset')} onReset={() => onSearch({})} />
    </Form>
  );
}
