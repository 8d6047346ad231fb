import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { DingrelayApiError } from '@dingrelay/contracts/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Flex, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { GuardedActionButton } from '../../components/guarded-action.button';
import { PageHeader } from '../../components/page-header';
import { AdminActionButton } from './admin-action.button';
import { ConfigurationDescriptions } from './configuration.descriptions';
import { ConfigurationEditDrawer } from './configuration-edit.drawer';
import { ConfigurationStatusTag } from './configuration-status.tag';
import { QuickEntriesCard } from './quick-entries.card';

/** One configuration with its secrets masked, its callback URL and quick entries; admins edit and delete it. */
export default function ConfigurationDetailPage() {
  const { t } = useTranslation('configurations');
  const { name = '' } = useParams();
  const { client, permissions } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const [editing, setEditing] = useState(false);

  const detail = useQuery({ queryKey: ['chat-configurations', 'detail', name], queryFn: () => client.getChatConfiguration(name) });

  const remove = useMutation({
    mutationFn: () => client.deleteChatConfiguration(name),
    onSuccess: async () => {
      void message.success(t('delete.deleted', { name }));
      navigate('/configurations', { replace: true });
      // Everything but this configuration's own reads, which would only answer 404 now.
      await queryClient.invalidateQueries({
        queryKey: ['chat-configurations'],
        predicate: (query) => !(['detail', 'plugins'].includes(String(query.queryKey[1])) && query.queryKey[2] === name),
      });
    },
  });

  const deleteConfiguration = async () => {
    try {
      await remove.mutateAsync();
    } catch (error) {
      if (!(error instanceof DingrelayApiError && error.status === 409)) throw error;
      // The one refusal the admin can act on: sends still going through this configuration.
      modal.warning({
        title: t('delete.inProgressTitle'),
        width: 560,
        content: (
          <Flex vertical gap="small">
            <Typography.Paragraph style={{ margin: 0 }}>{t('delete.inProgress')}</Typography.Paragraph>
            <ApiErrorAlert error={error} />
          </Flex>
        ),
      });
    }
  };

  const breadcrumb = [{ title: t('list.title'), to: '/configurations' }, { title: name }];
  if (detail.isPending) {
    return (
      <>
        <PageHeader title={name} breadcrumb={breadcrumb} />
        <Skeleton active />
      </>
    );
  }
  if (detail.isError) {
    return (
      <>
        <PageHeader title={name} breadcrumb={breadcrumb} />
        <ApiErrorAlert error={detail.error} />
      </>
    );
  }

  const configuration = detail.data;
  return (
    <>
      <PageHeader
        title={
          <Flex gap="small" align="center">
            {configuration.name}
            <ConfigurationStatusTag status={configuration.status} />
          </Flex>
        }
        subtitle={t(`type.${configuration.type}`)}
        breadcrumb={breadcrumb}
        extra={
          <>
            <AdminActionButton allowed={permissions.canAdminister} icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('edit.open')}
            </AdminActionButton>
            <GuardedActionButton
              allowed={permissions.canAdminister}
              danger
              icon={<DeleteOutlined />}
              loading={remove.isPending}
              confirm={{ title: t('delete.confirm', { name }), description: t('delete.confirmDescription'), okText: t('delete.submit') }}
              onConfirm={deleteConfiguration}
            >
              {t('delete.submit')}
            </GuardedActionButton>
          </>
        }
      />
      <Flex vertical gap="middle">
        <ConfigurationDescriptions configuration={configuration} />
        <QuickEntriesCard configuration={configuration} />
      </Flex>
      {permissions.canAdminister && <ConfigurationEditDrawer configuration={configuration} open={editing} onClose={() => setEditing(false)} />}
    </>
  );
}
