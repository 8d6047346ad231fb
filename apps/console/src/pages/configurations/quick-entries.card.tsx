import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ChatConfigurationResponse, SetPluginsRequest } from '@dingrelay/contracts/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Drawer, Flex, Form, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { DateTime } from '../../components/date-time';
import { GuardedActionButton } from '../../components/guarded-action.button';
import { AdminActionButton } from './admin-action.button';
import { showApiFieldErrors } from './form-field-errors';
import { PluginsErrorExplanation } from './plugins-error.explanation';
import { isQuickEntryField, QuickEntriesForm } from './quick-entries.form';
import { quickEntriesFormOf, type QuickEntriesFormValues, toSetPluginsRequest } from './quick-entries.mapping';
import { QuickEntriesTable } from './quick-entries.table';

/**
 * The robot's single-chat quick entries: what DingTalk reports now next to what dingrelay last applied, and for
 * admins an editor that replaces them (PUT) and a button that removes them all (DELETE), each behind a confirmation.
 */
export function QuickEntriesCard({ configuration }: { configuration: ChatConfigurationResponse }) {
  const { t } = useTranslation('configurations');
  const { client, permissions } = useSession();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<QuickEntriesFormValues>();
  const name = configuration.name;
  // The API answers 409 for these without asking DingTalk, so the card says why instead of asking.
  const available = configuration.type === 'DingTalk' && configuration.status === 'active';
  const queryKey = ['chat-configurations', 'plugins', name];

  const plugins = useQuery({ queryKey, queryFn: () => client.getPlugins(name), enabled: available });

  const set = useMutation({
    mutationFn: (request: SetPluginsRequest) => client.setPlugins(name, request),
    onSuccess: async () => {
      void message.success(t('plugins.applied'));
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey });
    },
    onError: (error) => showApiFieldErrors(form, error, isQuickEntryField),
  });
  const clear = useMutation({
    mutationFn: () => client.clearPlugins(name),
    onSuccess: async () => {
      void message.success(t('plugins.cleared'));
      await queryClient.invalidateQueries({ queryKey });
    },
  });

  const apply = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    await set.mutateAsync(toSetPluginsRequest(values)).catch(() => undefined);
  };

  const openEditor = () => {
    set.reset();
    setEditing(true);
  };

  const title = t('plugins.title');
  if (!available) {
    return (
      <Card title={title} size="small">
        <Alert type="info" showIcon title={configuration.type === 'DingTalk' ? t('plugins.inactive') : t('plugins.notDingTalk')} />
      </Card>
    );
  }

  const lastApplied = plugins.data?.lastApplied ?? null;
  return (
    <Card
      title={title}
      size="small"
      extra={
        <Flex gap="small" wrap>
          <Button size="small" icon={<ReloadOutlined />} loading={plugins.isFetching} onClick={() => void plugins.refetch()}>
            {t('plugins.refresh')}
          </Button>
          <AdminActionButton allowed={permissions.canAdminister} size="small" icon={<EditOutlined />} onClick={openEditor} disabled={plugins.isPending}>
            {t('plugins.edit')}
          </AdminActionButton>
          <GuardedActionButton
            allowed={permissions.canAdminister}
            danger
            buttonProps={{ size: 'small' }}
            loading={clear.isPending}
            confirm={{ title: t('plugins.clearConfirm'), description: t('plugins.clearConfirmDescription', { robotCode: configuration.configuration.robotCode }), okText: t('plugins.clear') }}
            onConfirm={() => clear.mutateAsync().catch(() => undefined)}
          >
            {t('plugins.clear')}
          </GuardedActionButton>
        </Flex>
      }
    >
      <Flex vertical gap="middle">
        {plugins.error && <PluginsErrorExplanation error={plugins.error} />}
        {clear.error && <PluginsErrorExplanation error={clear.error} />}
        <QuickEntriesTable caption={t('plugins.now')} entries={plugins.data?.dingtalk.plugins ?? []} />
        <Flex vertical gap="small">
          <Typography.Text strong>{t('plugins.lastApplied')}</Typography.Text>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={
              lastApplied
                ? [
                    { key: 'action', label: t('plugins.action'), children: <Tag color={lastApplied.action === 'set' ? 'blue' : 'default'}>{t(`plugins.actions.${lastApplied.action}`)}</Tag> },
                    { key: 'appliedAt', label: t('plugins.appliedAt'), children: <DateTime value={lastApplied.appliedAt} /> },
                    { key: 'appliedBy', label: t('plugins.appliedBy'), children: lastApplied.appliedBy },
                  ]
                : [{ key: 'never', label: t('plugins.action'), children: t('plugins.neverApplied') }]
            }
          />
          {lastApplied && lastApplied.action === 'set' && <QuickEntriesTable caption={t('plugins.appliedEntries')} entries={lastApplied.plugins} />}
        </Flex>
      </Flex>
      {permissions.canAdminister && (
        <Drawer
          open={editing}
          onClose={() => setEditing(false)}
          size={720}
          destroyOnHidden
          title={t('plugins.editTitle', { name })}
          footer={
            <Flex vertical gap="small">
              {set.error && <PluginsErrorExplanation error={set.error} />}
              <Flex gap="small">
                <GuardedActionButton
                  allowed={permissions.canAdminister}
                  loading={set.isPending}
                  buttonProps={{ type: 'primary' }}
                  confirm={{ title: t('plugins.applyConfirm'), description: t('plugins.applyConfirmDescription', { robotCode: configuration.configuration.robotCode }), okText: t('plugins.apply') }}
                  onConfirm={apply}
                >
                  {t('plugins.apply')}
                </GuardedActionButton>
                <Button onClick={() => setEditing(false)}>{t('common:cancel')}</Button>
              </Flex>
            </Flex>
          }
        >
          <QuickEntriesForm form={form} initialValues={quickEntriesFormOf(plugins.data)} />
        </Drawer>
      )}
    </Card>
  );
}
