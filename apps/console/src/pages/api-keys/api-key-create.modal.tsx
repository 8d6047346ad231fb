import { API_KEY_ROLES, type CreateApiKeyRequest } from '@dingrelay/contracts/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DatePicker, Form, Modal, Select, Input, theme } from 'antd';
import dayjs from 'dayjs';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { USER_TIME_ZONE } from '../../components/date-time';
import { showApiFieldErrors } from '../configurations/form-field-errors';
import { API_KEY_NAME_PATTERN, type ApiKeyFormValues, isScoped, MAX_API_KEY_NAME_LENGTH, MAX_API_KEY_SCOPE_SIZE, toCreateApiKeyRequest } from './api-key-form.mapping';
import type { NewApiKey } from './new-api-key.modal';

const FORM_FIELDS = new Set(['name', 'role', 'chatConfigurations', 'expiresAt']);

/**
 * A new key's name, role, scope (senders only: required for them, refused for the others) and optional expiry.
 * `onCreated` receives the secret, which this dialog does not keep.
 */
export function ApiKeyCreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (created: NewApiKey) => void }) {
  const { t } = useTranslation('apiKeys');
  const { client } = useSession();
  const queryClient = useQueryClient();
  const { token } = theme.useToken();
  const [form] = Form.useForm<ApiKeyFormValues>();
  const role = Form.useWatch('role', form);
  const scoped = isScoped(role);
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());

  const names = useQuery({
    queryKey: ['chat-configurations', 'names', deferredSearch],
    queryFn: () => client.listChatConfigurations({ name: deferredSearch || undefined, maxResults: 100 }),
    enabled: open && scoped,
  });

  const create = useMutation({
    gcTime: 0,
    // The secret goes to the caller's one-time dialog; the mutation (and TanStack's cache) keeps only the rest.
    mutationFn: async (request: CreateApiKeyRequest) => {
      const { key, ...listed } = await client.createApiKey(request);
      onCreated({ name: listed.name, role: listed.role, prefix: listed.prefix, key });
      return listed;
    },
    onSuccess: async () => {
      close();
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
    onError: (error) => showApiFieldErrors(form, error, (field) => FORM_FIELDS.has(field)),
  });

  function close() {
    form.resetFields();
    create.reset();
    setSearch('');
    onClose();
  }

  return (
    <Modal
      open={open}
      title={t('create.title')}
      okText={t('create.submit')}
      cancelText={t('common:cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      forceRender
    >
      <Form<ApiKeyFormValues>
        form={form}
        layout="vertical"
        initialValues={{ role: 'sender', chatConfigurations: [] }}
        onFinish={(values) => create.mutate(toCreateApiKeyRequest(values))}
        disabled={create.isPending}
      >
        <Form.Item
          name="name"
          label={t('fields.name')}
          tooltip={t('help.name')}
          rules={[
            { required: true, whitespace: true, message: t('rules.nameRequired') },
            { pattern: API_KEY_NAME_PATTERN, message: t('rules.name') },
            { max: MAX_API_KEY_NAME_LENGTH, message: t('rules.max', { max: MAX_API_KEY_NAME_LENGTH }) },
          ]}
        >
          <Input maxLength={MAX_API_KEY_NAME_LENGTH} autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t('fields.role')} rules={[{ required: true, message: t('rules.roleRequired') }]} extra={role ? t(`roleHelp.${role}`) : undefined}>
          <Select options={API_KEY_ROLES.map((value) => ({ value, label: t(`common:roles.${value}`) }))} />
        </Form.Item>
        <Form.Item
          name="chatConfigurations"
          label={t('fields.chatConfigurations')}
          extra={scoped ? t('help.scope') : t('help.scopeOthers')}
          dependencies={['role']}
          rules={[
            { required: scoped, type: 'array', min: scoped ? 1 : 0, message: t('rules.scopeRequired') },
            { type: 'array', max: MAX_API_KEY_SCOPE_SIZE, message: t('rules.scopeMax', { max: MAX_API_KEY_SCOPE_SIZE }) },
          ]}
        >
          <Select
            mode="multiple"
            disabled={!scoped}
            placeholder={scoped ? t('fields.chatConfigurationsPlaceholder') : t('fields.allConfigurations')}
            loading={names.isFetching}
            showSearch={{ onSearch: setSearch, filterOption: false }}
            options={(names.data?.items ?? []).map((item) => ({ value: item.name, label: item.name }))}
            notFoundContent={names.error ? <ApiErrorAlert error={names.error} /> : undefined}
          />
        </Form.Item>
        <Form.Item
          name="expiresAt"
          label={t('fields.expiresAt')}
          extra={t('help.expiresAt', { zone: USER_TIME_ZONE })}
          rules={[{ validator: async (_rule, value?: dayjs.Dayjs | null) => { if (value && !value.isAfter(dayjs())) throw new Error(t('rules.expiresInPast')); } }]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(day) => day.isBefore(dayjs(), 'day')} style={{ width: '100%' }} placeholder={t('fields.never')} />
        </Form.Item>
        {create.error && (
          <div style={{ marginTop: token.marginSM }}>
            <ApiErrorAlert error={create.error} />
          </div>
        )}
      </Form>
    </Modal>
  );
}
