import type { ChatConfigurationResponse, UpdateChatConfigurationRequest } from '@dingrelay/contracts/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Form, theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { CONFIGURATION_FORM_FIELDS, ConfigurationForm } from './configuration.form';
import { type ConfigurationFormValues, formValuesOf, toPatchRequest } from './configuration-form.mapping';
import { showApiFieldErrors } from './form-field-errors';

/** Edits a configuration with a PATCH of only the fields the admin changed. */
export function ConfigurationEditDrawer({ configuration, open, onClose }: { configuration: ChatConfigurationResponse; open: boolean; onClose: () => void }) {
  const { t } = useTranslation('configurations');
  const { client } = useSession();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const [form] = Form.useForm<ConfigurationFormValues>();
  const initialValues = useMemo(() => formValuesOf(configuration), [configuration]);

  const update = useMutation({
    gcTime: 0,
    mutationFn: (patch: UpdateChatConfigurationRequest) => client.updateChatConfiguration(configuration.name, patch),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['chat-configurations', 'detail', updated.name], updated);
      void message.success(t('edit.saved'));
      close();
      await queryClient.invalidateQueries({ queryKey: ['chat-configurations'] });
    },
    onError: (error) => showApiFieldErrors(form, error, (field) => CONFIGURATION_FORM_FIELDS.has(field)),
  });

  function close() {
    update.reset();
    form.resetFields();
    onClose();
  }

  const save = (values: ConfigurationFormValues) => {
    const patch = toPatchRequest(configuration, values);
    if (Object.keys(patch).length === 0) {
      void message.info(t('edit.nothingChanged'));
      return;
    }
    update.mutate(patch);
  };

  return (
    <Drawer open={open} onClose={close} size={720} title={t('edit.title', { name: configuration.name })} destroyOnHidden>
      <ConfigurationForm
        form={form}
        mode="edit"
        initialValues={initialValues}
        hasStoredSecret={configuration.configuration.clientSecret !== null}
        disabled={update.isPending}
        onFinish={save}
        footer={
          <>
            {update.error && (
              <div style={{ marginBottom: token.marginMD }}>
                <ApiErrorAlert error={update.error} />
              </div>
            )}
            <Flex gap="small">
              <Button type="primary" htmlType="submit" loading={update.isPending}>
                {t('edit.submit')}
              </Button>
              <Button disabled={false} onClick={close}>
                {t('common:cancel')}
              </Button>
            </Flex>
          </>
        }
      />
    </Drawer>
  );
}
