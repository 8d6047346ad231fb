import { EyeOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import {
  type CancelSendResponse,
  DingrelayApiError,
  type RecallSendResponse,
  type RefreshReadStatusResponse,
  type SendStatusResponse,
} from '@dingrelay/contracts/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Flex } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Permissions } from '../../auth/permissions';
import { useSession } from '../../auth/session.context';
import { ApiErrorAlert } from '../../components/api-error.alert';
import { GuardedActionButton } from '../../components/guarded-action.button';
import { sendKey } from './send-detail.queries';

export type SendActionOutcome =
  | { action: 'cancel'; result: CancelSendResponse }
  | { action: 'recall'; result: RecallSendResponse }
  | { action: 'refresh'; result: RefreshReadStatusResponse };

type Action = SendActionOutcome['action'];

/**
 * Which actions make sense for the send as it stands (the role decides whether they are enabled). Recall and read
 * status need the send's own app: none once its configuration was deleted (the API refuses them).
 */
export function applicableActions(send: SendStatusResponse): Action[] {
  const actions: Action[] = [];
  const ownApp = !send.chatConfigurationDeleted;
  if (send.status === 'accepted' || send.status === 'delivering') actions.push('cancel');
  if (ownApp && send.recipients.delivered > 0 && send.recall === null) actions.push('recall');
  if (ownApp && send.recall === null && send.read.unread + send.read.notChecked > 0) actions.push('refresh');
  return actions;
}

/**
 * Cancel, recall and refresh read status, each behind a confirmation and enabled only for a key that may write sends
 * through this send's configuration. A 409 (the send moved on meanwhile) is explained, not just reported.
 */
export function SendActionsBar({ send, permissions, onOutcome }: { send: SendStatusResponse; permissions: Permissions; onOutcome: (outcome: SendActionOutcome) => void }) {
  const { t } = useTranslation('sends');
  const { client } = useSession();
  const queryClient = useQueryClient();
  const { modal } = App.useApp();
  const allowed = permissions.canWriteSend(send.chatConfiguration);

  // The answer's own send state shows at once; the rest is read again in the background, so the confirmation
  // closes as soon as the API answered.
  const settle = (changed?: SendStatusResponse) => {
    if (changed) queryClient.setQueryData(sendKey(send.id), changed);
    void queryClient.invalidateQueries({ queryKey: sendKey(send.id) });
    void queryClient.invalidateQueries({ queryKey: ['sends'] });
    void queryClient.invalidateQueries({ queryKey: ['user-messages'] });
  };
  const cancel = useMutation({ mutationFn: () => client.cancelSend(send.id), onSuccess: (result) => settle(result.send) });
  const recall = useMutation({ mutationFn: () => client.recallSend(send.id), onSuccess: (result) => settle(result.send) });
  const refresh = useMutation({ mutationFn: () => client.refreshReadStatus(send.id), onSuccess: () => settle() });

  /** Runs the action; a 409 is explained here, anything else goes to the button's refusal dialog. */
  const run = async <R,>(action: Action, mutate: () => Promise<R>, report: (result: R) => SendActionOutcome) => {
    try {
      onOutcome(report(await mutate()));
    } catch (error) {
      if (!(error instanceof DingrelayApiError && error.status === 409)) throw error;
      settle();
      modal.warning({ title: t(`actions.${action}.conflict`), content: <ApiErrorAlert error={error} />, width: 560 });
    }
  };

  const actions = applicableActions(send);
  if (actions.length === 0) return null;
  return (
    <Flex gap="small" wrap role="group" aria-label={t('actions.label')}>
      {actions.includes('refresh') && (
        <GuardedActionButton
          allowed={allowed}
          icon={<EyeOutlined />}
          loading={refresh.isPending}
          confirm={{ title: t('actions.refresh.confirm'), description: t('actions.refresh.confirmDetail'), okText: t('actions.refresh.ok') }}
          onConfirm={() => run('refresh', () => refresh.mutateAsync(), (result) => ({ action: 'refresh', result }))}
        >
          {t('actions.refresh.button')}
        </GuardedActionButton>
      )}
      {actions.includes('recall') && (
        <GuardedActionButton
          allowed={allowed}
          danger
          icon={<RollbackOutlined />}
          loading={recall.isPending}
          confirm={{ title: t('actions.recall.confirm'), description: t('actions.recall.confirmDetail'), okText: t('actions.recall.ok') }}
          onConfirm={() => run('recall', () => recall.mutateAsync(), (result) => ({ action: 'recall', result }))}
        >
          {t('actions.recall.button')}
        </GuardedActionButton>
      )}
      {actions.includes('cancel') && (
        <GuardedActionButton
          allowed={allowed}
          danger
          icon={<StopOutlined />}
          loading={cancel.isPending}
          confirm={{ title: t('actions.cancel.confirm'), description: t('actions.cancel.confirmDetail'), okText: t('actions.cancel.ok') }}
          onConfirm={() => run('cancel', () => cancel.mutateAsync(), (result) => ({ action: 'cancel', result }))}
        >
          {t('actions.cancel.button')}
        </GuardedActionButton>
      )}
    </Flex>
  );
}

/** What the last action did, in numbers. */
export function describeOutcome(t: TFunction, outcome: SendActionOutcome): string {
  switch (outcome.action) {
    case 'cancel':
      return t('actions.cancel.done', { cancelled: outcome.result.cancelled.toLocaleString(), inFlight: outcome.result.inFlight.toLocaleString() });
    case 'recall':
      return t(outcome.result.replayed ? 'actions.recall.replayed' : 'actions.recall.done', {
        toRecall: outcome.result.batchesToRecall,
        expired: outcome.result.batchesExpired,
        inFlight: outcome.result.batchesInFlight,
        cancelled: outcome.result.recipientsCancelled.toLocaleString(),
      });
    case 'refresh':
      return t('actions.refresh.done', { batches: outcome.result.batches, unread: outcome.result.unreadRecipients.toLocaleString() });
  }
}
