import { AUDIT_OUTCOMES } from '@dingrelay/contracts/client';
import { Col, Form, Input, Row, Select } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { USER_TIME_ZONE } from '../../components/date-time';
import { FilterBarActions } from '../../components/filter-bar.actions';
import { type InstantRange, InstantRangePicker } from '../../components/instant-range.picker';
import { useFilterFieldErrors } from '../../hooks/use-filter-field-errors';
import type { AuditFilters } from './audit-filters';
import { UUID_PATTERN } from './audit-filters';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, useAuditActionLabel, useTargetTypeLabel } from './audit-vocabulary';

interface FormValues {
  action?: string;
  actorKeyId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditFilters['outcome'];
  range?: InstantRange;
}

const FORM_FIELD_OF = { action: 'action', actorKeyId: 'actorKeyId', targetType: 'targetType', targetId: 'targetId', outcome: 'outcome', from: 'range', to: 'range' };

function toFormValues(filters: Partial<AuditFilters>): FormValues {
  return {
    action: filters.action,
    actorKeyId: filters.actorKeyId,
    targetType: filters.targetType,
    targetId: filters.targetId,
    outcome: filters.outcome,
    range: [filters.from, filters.to],
  };
}

function toFilters({ range, ...values }: FormValues): Partial<AuditFilters> {
  const trimmed = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  return {
    action: trimmed(values.action),
    actorKeyId: trimmed(values.actorKeyId),
    targetType: trimmed(values.targetType),
    targetId: trimmed(values.targetId),
    outcome: values.outcome,
    from: range?.[0],
    to: range?.[1],
  };
}

/** The audit log's filter bar: shows the URL's filters, and writes the URL when searched. */
export function AuditFiltersForm({ filters, onSearch, error }: { filters: Partial<AuditFilters>; onSearch: (filters: Partial<AuditFilters>) => void; error: unknown }) {
  const { t } = useTranslation('audit');
  const [form] = Form.useForm<FormValues>();
  const actionLabel = useAuditActionLabel();
  const targetTypeLabel = useTargetTypeLabel();

  // The URL is the truth: back/forward and shared links show their filters in the form.
  useEffect(() => {
    form.setFieldsValue(toFormValues(filters));
  }, [filters, form]);
  useFilterFieldErrors(form, error, FORM_FIELD_OF);

  const actionOptions = useMemo(
    () => withCurrent(Object.keys(AUDIT_ACTIONS), filters.action).map((action) => ({ value: action, label: labelled(actionLabel(action), action) })),
    [actionLabel, filters.action],
  );
  const targetTypeOptions = useMemo(
    () => withCurrent(Object.keys(AUDIT_TARGET_TYPES), filters.targetType).map((type) => ({ value: type, label: labelled(targetTypeLabel(type), type) })),
    [targetTypeLabel, filters.targetType],
  );

  return (
    <Form<FormValues> form={form} layout="vertical" onFinish={(values) => onSearch(toFilters(values))} aria-label={t('filters.label')} role="search">
      <Row gutter={16}>
        <Col xs={24} sm={12} lg={8} xxl={6}>
          <Form.Item name="action" label={t('filters.action')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('filters.actionPlaceholder')} options={actionOptions} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8} xxl={6}>
          <Form.Item name="outcome" label={t('filters.outcome')}>
            <Select allowClear placeholder={t('filters.outcomePlaceholder')} options={AUDIT_OUTCOMES.map((outcome) => ({ value: outcome, label: t(`outcomes.${outcome}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={24} lg={8} xxl={12}>
          <Form.Item name="range" label={t('filters.range')} extra={t('filters.rangeHelp', { timeZone: USER_TIME_ZONE })}>
            <InstantRangePicker placeholder={[t('filters.from'), t('filters.to')]} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8} xxl={6}>
          <Form.Item name="actorKeyId" label={t('filters.actorKeyId')} rules={[{ pattern: UUID_PATTERN, message: t('filters.actorKeyIdInvalid') }]}>
            <Input allowClear placeholder={t('filters.actorKeyIdPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8} xxl={6}>
          <Form.Item name="targetType" label={t('filters.targetType')}>
            <Select allowClear placeholder={t('filters.targetTypePlaceholder')} options={targetTypeOptions} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={8} xxl={6}>
          <Form.Item name="targetId" label={t('filters.targetId')}>
            <Input allowClear placeholder={t('filters.targetIdPlaceholder')} />
          </Form.Item>
        </Col>
      </Row>
      <FilterBarActions searchLabel={t('filters.search')} resetLabel={t('filters.reset')} onReset={() => onSearch({})} />
    </Form>
  );
}

/** A value from the URL that the list does not know is still offered, so the select shows it. */
function withCurrent(values: string[], current: string | undefined): string[] {
  return current && !values.includes(current) ? [...values, current] : values;
}

function labelled(label: string | null, raw: string): string {
  return label === null ? raw : `${label} · ${raw}`;
}
