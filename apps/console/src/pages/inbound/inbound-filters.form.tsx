import { Col, Form, Input, Row, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfigurationNameSelect } from '../../components/configuration-name.select';
import { USER_TIME_ZONE } from '../../components/date-time';
import { FilterBarActions } from '../../components/filter-bar.actions';
import { type InstantRange, InstantRangePicker } from '../../components/instant-range.picker';
import { useFilterFieldErrors } from '../../hooks/use-filter-field-errors';
import { INBOUND_MESSAGE_TYPES, type InboundFilters } from './inbound-filters';
import { useMessageTypeLabel } from './message-type';

interface FormValues {
  chatConfiguration?: string;
  senderStaffId?: string;
  msgtype?: string;
  conversationId?: string;
  range?: InstantRange;
}

const FORM_FIELD_OF = {
  chatConfiguration: 'chatConfiguration',
  senderStaffId: 'senderStaffId',
  msgtype: 'msgtype',
  conversationId: 'conversationId',
  createdFrom: 'range',
  createdTo: 'range',
};

function toFormValues({ createdFrom, createdTo, ...filters }: Partial<InboundFilters>): FormValues {
  return {
    chatConfiguration: filters.chatConfiguration,
    senderStaffId: filters.senderStaffId,
    msgtype: filters.msgtype,
    conversationId: filters.conversationId,
    range: [createdFrom, createdTo],
  };
}

function toFilters({ range, ...values }: FormValues): Partial<InboundFilters> {
  const trimmed = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  return {
    chatConfiguration: values.chatConfiguration,
    senderStaffId: trimmed(values.senderStaffId),
    msgtype: values.msgtype,
    conversationId: trimmed(values.conversationId),
    createdFrom: range?.[0],
    createdTo: range?.[1],
  };
}

/** The inbound messages' filter bar: shows the URL's filters, and writes the URL when searched. */
export function InboundFiltersForm({ filters, onSearch, error }: { filters: Partial<InboundFilters>; onSearch: (filters: Partial<InboundFilters>) => void; error: unknown }) {
  const { t } = useTranslation('inbound');
  const [form] = Form.useForm<FormValues>();
  const typeLabel = useMessageTypeLabel();

  // The URL is the truth: back/forward and shared links show their filters in the form.
  useEffect(() => {
    form.setFieldsValue(toFormValues(filters));
  }, [filters, form]);
  useFilterFieldErrors(form, error, FORM_FIELD_OF);

  const types: string[] = [...INBOUND_MESSAGE_TYPES];
  if (filters.msgtype && !types.includes(filters.msgtype)) types.push(filters.msgtype);

  return (
    <Form<FormValues> form={form} layout="vertical" onFinish={(values) => onSearch(toFilters(values))} aria-label={t('filters.label')} role="search">
      <Row gutter={16}>
        <Col xs={24} sm={12} lg={8}>
          <Form.Item name="chatConfiguration" label={t('filters.chatConfiguration')}>
            <ConfigurationNameSelect placeholder={t('filters.chatConfigurationPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8}>
          <Form.Item name="msgtype" label={t('filters.msgtype')}>
            <Select allowClear placeholder={t('filters.msgtypePlaceholder')} options={types.map((type) => ({ value: type, label: typeLabel(type) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={24} lg={8}>
          <Form.Item name="range" label={t('filters.range')} extra={t('filters.rangeHelp', { timeZone: USER_TIME_ZONE })}>
            <InstantRangePicker placeholder={[t('filters.from'), t('filters.to')]} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8}>
          <Form.Item name="senderStaffId" label={t('filters.senderStaffId')}>
            <Input allowClear placeholder={t('filters.senderStaffIdPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8}>
          <Form.Item name="conversationId" label={t('filters.conversationId')}>
            <Input allowClear placeholder={t('filters.conversationIdPlaceholder')} />
          </Form.Item>
        </Col>
      </Row>
      <FilterBarActions searchLabel={t('filters.search')} resetLabel={t('filters.reset')} onReset={() => onSearch({})} />
    </Form>
  );
}
