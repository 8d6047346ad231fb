import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import type { MsgKey } from '@dingrelay/contracts/client';
import { MSG_KEYS } from '@dingrelay/contracts/client';
import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Form, type FormInstance, Input, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { fieldErrorsOf } from '../../components/api-error.alert';
import { USER_TIME_ZONE } from '../../components/date-time';

/** The form's value of a created-time range: either end may be open. */
export type CreatedRange = [Dayjs | null, Dayjs | null] | null | undefined;

/** The URL's instants as the picker's values, in the user's time zone. */
export function rangeFromInstants(from: string | undefined, to: string | undefined): CreatedRange {
  if (!from && !to) return undefined;
  return [from ? dayjs(from) : null, to ? dayjs(to) : null];
}

/** The picker's values as ISO-8601 instants with the user's offset (`2026-12-01T09:00:00+08:00`), as the API takes them. */
export function instantsFromRange(range: CreatedRange): { createdFrom?: string; createdTo?: string } {
  return { createdFrom: range?.[0]?.format() ?? undefined, createdTo: range?.[1]?.format() ?? undefined };
}

/** The form values both history filter bars have; `S` is the status each one filters by. */
export interface HistoryFormValues<S extends string> {
  chatConfiguration?: string;
  robotCode?: string;
  msgKey?: MsgKey;
  status?: S;
  created?: CreatedRange;
}

/** A history filter's URL instants (`createdFrom`, `createdTo`) as the form's one range field. */
export function withCreatedRange<F extends { createdFrom?: string; createdTo?: string }>(filters: F): Omit<F, 'createdFrom' | 'createdTo'> & { created: CreatedRange } {
  const { createdFrom, createdTo, ...rest } = filters;
  return { ...rest, created: rangeFromInstants(createdFrom, createdTo) };
}

/** The filters both history filter bars share, from their form values: empty text and cleared selects as nothing. */
export function historyFiltersFromForm<S extends string>(values: HistoryFormValues<S>) {
  return {
    chatConfiguration: optionalText(values.chatConfiguration),
    robotCode: optionalText(values.robotCode),
    msgKey: values.msgKey ?? undefined,
    status: values.status ?? undefined,
    ...instantsFromRange(values.created),
  };
}

/** Trimmed text, or nothing for an empty field. */
export function optionalText(value: string | undefined | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * A 400's field problems shown under the form fields they belong to. The API names its query parameters; both ends of
 * the time range sit under the one range field.
 */
export function showFieldErrors(form: FormInstance, error: unknown, fieldNames: readonly string[]): void {
  const byField = new Map<string, string[]>();
  for (const [field, messages] of fieldErrorsOf(error)) {
    const name = field === 'createdFrom' || field === 'createdTo' ? 'created' : field;
    if (fieldNames.includes(name)) byField.set(name, [...(byField.get(name) ?? []), ...messages]);
  }
  form.setFields(fieldNames.map((name) => ({ name, errors: byField.get(name) ?? [] })));
}

/**
 * A history filter bar's form, kept showing what the URL says (a shared link, the back button), with a 400's field
 * problems under `fieldNames`.
 */
export function useHistoryFilterForm<F, V>(filters: F, toFormValues: (filters: F) => V, error: unknown, fieldNames: readonly string[]): FormInstance<V> {
  const [form] = Form.useForm<V>();

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toFormValues(filters));
  }, [filters, toFormValues, form]);

  useEffect(() => {
    showFieldErrors(form, error, fieldNames);
  }, [error, fieldNames, form]);

  return form;
}

/** Search, then reset: what a history filter bar ends with. The labels are the page's own. */
export function HistoryFilterActions({ searchLabel, resetLabel, onReset }: { searchLabel: string; resetLabel: string; onReset: () => void }) {
  return (
    <Space>
      <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
        {searchLabel}
      </Button>
      <Button icon={<UndoOutlined />} onClick={onReset}>
        {resetLabel}
      </Button>
    </Space>
  );
}

/**
 * Chat configuration: a choice of the known ones for keys that may list them, of its own scope for a sender limited
 * to some, else free text.
 */
export function ConfigurationField({ current }: { current?: string }) {
  const { t } = useTranslation('sends');
  const { client, permissions, identity } = useSession();
  const names = useQuery({
    queryKey: ['chat-configurations', 'names'],
    queryFn: async () => {
      const all: string[] = [];
      for await (const item of client.listChatConfigurations({ maxResults: 100 })) all.push(item.name);
      return all.sort();
    },
    enabled: permissions.canReadConfigurations,
    staleTime: 60_000,
  });
  const label = t('filters.chatConfiguration');
  const known = permissions.canReadConfigurations ? names.data : (identity.chatConfigurations ?? undefined);
  if (!permissions.canReadConfigurations && !identity.chatConfigurations) {
    return (
      <Form.Item name="chatConfiguration" label={label}>
        <Input allowClear placeholder={t('filters.chatConfigurationPlaceholder')} />
      </Form.Item>
    );
  }
  // A configuration named in a shared URL stays selectable even if it was deleted since.
  const options = [...new Set([...(known ?? []), ...(current ? [current] : [])])].map((name) => ({ value: name, label: name }));
  return (
    <Form.Item name="chatConfiguration" label={label}>
      <Select allowClear showSearch loading={names.isLoading} options={options} placeholder={t('filters.any')} aria-label={label} />
    </Form.Item>
  );
}

export function RobotCodeField() {
  const { t } = useTranslation('sends');
  return (
    <Form.Item name="robotCode" label={t('filters.robotCode')}>
      <Input allowClear />
    </Form.Item>
  );
}

export function MsgKeyField() {
  const { t } = useTranslation('sends');
  const label = t('filters.msgKey');
  return (
    <Form.Item name="msgKey" label={label}>
      <Select<MsgKey> allowClear showSearch options={MSG_KEYS.map((key) => ({ value: key, label: key }))} placeholder={t('filters.any')} aria-label={label} />
    </Form.Item>
  );
}

/** The status a history is filtered by, from the page's own list of them. */
export function StatusField<S extends string>({ label, options }: { label: string; options: { value: S; label: string }[] }) {
  const { t } = useTranslation('sends');
  return (
    <Form.Item name="status" label={label}>
      <Select<S> allowClear aria-label={label} placeholder={t('filters.any')} options={options} />
    </Form.Item>
  );
}

/** Created between two instants, picked in the user's time zone; the end is exclusive as in the API. */
export function CreatedRangeField() {
  const { t } = useTranslation('sends');
  return (
    <Form.Item name="created" label={t('filters.created', { timeZone: USER_TIME_ZONE })} tooltip={t('filters.createdHint')}>
      <DatePicker.RangePicker
        showTime={{ format: 'HH:mm' }}
        format="YYYY-MM-DD HH:mm"
        allowEmpty={[true, true]}
        placeholder={[t('filters.createdFrom'), t('filters.createdTo')]}
        style={{ width: '100%' }}
      />
    </Form.Item>
  );
}
