import type { CreateChatConfigurationRequest } from '@dingrelay/contracts/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { PageHeader } from '../../components/page-header';
import { AdminActionButton } from './admin-action.button';
import { type CallbackSecrets, CallbackSecretsModal } from './callback-secrets.modal';
import { CONFIGURATION_FORM_FIELDS, ConfigurationForm } from './configuration.form';
import { type ConfigurationFormValues, toCreateRequest } from './configuration-form.mapping';
import { showApiFieldErrors } from './form-field-errors';

const NEW_CONFIGURATION: ConfigurationFormValues = { type: 'DingTalk', status: 'active', tags: [] };

/** Admins create a configuration; its callback secrets are shown once, then the page moves to the new configuration. */
export default function ConfigurationCreatePage() {
  const { t } = useTranslation('configurations');
  const { client, permissions } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const [form] = Form.useForm<ConfigurationFormValues>();
  const [secrets, setSecrets] = useState<CallbackSecrets | null>(null);

  const create = useMutation({
    // Dropped from the mutation cache as soon as nothing watches it: its variables hold the typed client secret.
    gcTime: 0,
    // The full outputs go straight to the dialog's state and nowhere else: what the mutation keeps (and TanStack's
    // cache with it) is only the name, so nothing holds the secrets once the dialog is closed.
    mutationFn: async (request: CreateChatConfigurationRequest) => {
      const created = await client.createChatConfiguration(request);
      setSecrets({ name: created.name, ...created.outputs });
      return { name: created.name };
    },
    onSuccess: async ({ name }) => {
      form.resetFields();
      void message.success(t('create.created', { name }));
      await queryClient.invalidateQueries({ queryKey: ['chat-configurations'] });
    },
    onError: (error) => showApiFieldErrors(form, error, (field) => CONFIGURATION_FORM_FIELDS.has(field)),
  });

  const closeSecrets = () => {
    const name = secrets?.name;
    setSecrets(null);
    create.reset();
    if (name) navigate(`/configurations/${encodeURIComponent(name)}`, { replace: true });
  };

  return (
    <>
      <PageHeader title={t('create.title')} breadcrumb={[{ title: t('list.title'), to: '/configurations' }, { title: t('create.title') }]} />
      <Card>
        {!permissions.canAdminister && <Alert type="info" showIcon title={t('create.notAllowed')} style={{ marginBottom: token.marginMD }} />}
        <ConfigurationForm
          form={form}
          mode="create"
          initialValues={NEW_CONFIGURATION}
          disabled={!permissions.canAdminister || create.isPending}
          onFinish={(values) => create.mutate(toCreateRequest(values))}
          footer={
            <>
              {create.error && (
                <div style={{ marginBottom: token.marginMD }}>
                  <ApiErrorAlert error={create.error} />
                </div>
              )}
              <Flex gap="small">
                <AdminActionButton allowed={permissions.canAdminister} type="primary" htmlType="submit" loading={create.isPending}>
                  {t('create.submit')}
                </AdminActionButton>
                <Button disabled={false} onClick={() => navigate('/configurations')}>
                  {t('create.back')}
                </Button>
              </Flex>
            </>
          }
        />
      </Card>
      <CallbackSecretsModal secrets={secrets} onClose={closeSecrets} />
    </>
  );
}
