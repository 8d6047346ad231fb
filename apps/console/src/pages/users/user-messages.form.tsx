import { RECIPIENT_STATUSES, type RecipientStatus } from '@dingrelay/contracts/client';
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
} from '../sends/history-filter.fields';
import type { UserMessagesFilters } from './user-messages.filters';

interface FormValues extends HistoryFormValues<RecipientStatus> {
  userId?: string;
}

const FIELDS = ['userId', 'chatConfiguration', 'robotCode', 'msgKey', 'status', 'created'] as const;

export function toFormValues(filters: UserMessagesFilters): FormValues {
  return withCreatedRange(filters);
}

export function fromFormValues(values: FormValues): UserMessagesFilters {
  return { userId: optionalText(values.userId), ...historyFiltersFromForm(values) };
}

/** Whose messages, and which: written to the URL on search, read back from it (shared links, back button). */
export function UserMessagesForm({ filters, onSearch, error }: { filters: UserMessagesFilters; onSearch: (filters: UserMessagesFilters) => void; error: unknown }) {
  const { t } = useTranslation('users');
  const form = useHistoryFilterForm(filters, toFormValues, error, FIELDS);

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
          <RobotCodeField />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <MsgKeyField />
        </Col>
        <Col xs={24} sm={12} lg={8} xl={6}>
          <StatusField label={t('filters.status')} options={RECIPIENT_STATUSES.map((status) => ({ value: status, label: t(`common:recipientStatus.${status}`) }))} />
        </Col>
        <Col xs={24} lg={16} xl={12}>
          <CreatedRangeField />
        </Col>
      </Row>
      <HistoryFilterActions searchLabel={t('filters.search')} resetLabel={t('filters.reset')} onReset={() => onSearch({ userId: filters.userId })} />
    </Form>
  );
}
