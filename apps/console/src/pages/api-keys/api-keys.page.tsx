import { PlusOutlined } from '@ant-design/icons';
import { type ApiKeyResponse, DingrelayApiError } from '@dingrelay/contracts/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Flex, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { GuardedActionButton } from '../../components/guarded-action.button';
import { KeysetPager } from '../../components/keyset-pager';
import { PageHeader } from '../../components/page-header';
import { useKeysetPage } from '../../hooks/use-keyset-page';
import { AdminActionButton } from '../configurations/admin-action.button';
import { ApiKeyCreateModal } from './api-key-create.modal';
import { ApiKeysTable } from './api-keys.table';
import { type NewApiKey, NewApiKeyModal } from './new-api-key.modal';

const PAGE_SIZE = 50;

/** Admins list, create and revoke API keys; any other role sees the API's 403 with its request id. */
export default function ApiKeysPage() {
  const { t } = useTranslation('apiKeys');
  const { client, permissions, identity } = useSession();
  const queryClient = useQueryClient();
  const { modal, message } = App.useApp();
  const pager = useKeysetPage();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<NewApiKey | null>(null);

  const list = useQuery({
    queryKey: ['api-keys', pager.token ?? null],
    queryFn: () => client.listApiKeys({ maxResults: PAGE_SIZE, nextToken: pager.token }),
    placeholderData: keepPreviousData,
  });

  const revoke = useMutation({
    mutationFn: (key: ApiKeyResponse) => client.revokeApiKey(key.id),
    onSuccess: async (key) => {
      void message.success(t('revoke.revoked', { name: key.name }));
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });

  const revokeKey = useCallback(
    async (key: ApiKeyResponse) => {
      try {
        await revoke.mutateAsync(key);
      } catch (error) {
        if (!(error instanceof DingrelayApiError && error.status === 409)) throw error;
        modal.warning({
          title: t('revoke.lastAdminTitle'),
          width: 560,
          content: (
            <Flex vertical gap="small">
              <Typography.Paragraph style={{ margin: 0 }}>{t('revoke.lastAdmin')}</Typography.Paragraph>
              <ApiErrorAlert error={error} />
            </Flex>
          ),
        });
      }
    },
    [revoke, modal, t],
  );

  const actions = useCallback(
    (key: ApiKeyResponse) =>
      key.revokedAt ? (
        <Typography.Text type="secondary">–</Typography.Text>
      ) : (
        <GuardedActionButton
          allowed={permissions.canAdminister}
          danger
          buttonProps={{ size: 'small', 'aria-label': t('revoke.labelFor', { name: key.name }) }}
          loading={revoke.isPending && revoke.variables?.id === key.id}
          confirm={{
            title: t('revoke.confirm', { name: key.name }),
            description: key.id === identity.id ? t('revoke.confirmSelf') : t('revoke.confirmDescription'),
            okText: t('revoke.submit'),
          }}
          onConfirm={() => revokeKey(key)}
        >
          {t('revoke.submit')}
        </GuardedActionButton>
      ),
    [permissions.canAdminister, revoke.isPending, revoke.variables, identity.id, revokeKey, t],
  );

  return (
    <>
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle')}
        extra={
          <AdminActionButton allowed={permissions.canAdminister} type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('create.open')}
          </AdminActionButton>
        }
      />
      <Card>
        {/* A refusal (an auditor or sender opening the page by URL) is the whole answer: no empty table under it. */}
        {list.isError ? (
          <ApiErrorAlert error={list.error} />
        ) : (
          <>
            <ApiKeysTable keys={list.data?.items ?? []} loading={list.isFetching} currentKeyId={identity.id} actions={actions} />
            <KeysetPager pager={pager} nextToken={list.data?.nextToken} loading={list.isFetching} />
          </>
        )}
      </Card>
      {permissions.canAdminister && <ApiKeyCreateModal open={creating} onClose={() => setCreating(false)} onCreated={setCreated} />}
      <NewApiKeyModal created={created} onClose={() => setCreated(null)} />
    </>
  );
}
