import type { ListRecipientsResponse, SendStatusResponse } from '@dingrelay/contracts';
import type { RecipientPage, SendStatusView } from '@dingrelay/domain';

export function presentSendStatus(view: SendStatusView): SendStatusResponse {
  return {
    id: view.id,
    status: view.status,
    chatConfiguration: view.chatConfiguration,
    chatConfigurationId: view.chatConfigurationId,
    chatConfigurationDeleted: view.chatConfigurationDeleted,
    robotCode: view.robotCode,
    msgKey: view.msgKey,
    msgParam: view.msgParam,
    idempotencyKey: view.idempotencyKey,
    deliveryPolicy: view.deliveryPolicy,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    completedAt: view.completedAt?.toISOString() ?? null,
    cancelledAt: view.cancelledAt?.toISOString() ?? null,
    requestedBy: view.requestedBy,
    recipientsPurgedAt: view.recipientsPurgedAt?.toISOString() ?? null,
    recipients: view.recipients,
    batches: { total: view.batches.total, remaining: view.batches.remaining },
    progress: {
      batchesAhead: view.progress.batchesAhead,
      estimatedCompletionAt: view.progress.estimatedCompletionAt?.toISOString() ?? null,
      ambiguousCalls: view.progress.ambiguousCalls,
      paused: view.progress.paused ? { ...view.progress.paused, until: view.progress.paused.until.toISOString() } : null,
    },
    read: { ...view.read, lastCheckedAt: view.read.lastCheckedAt?.toISOString() ?? null },
    recall: view.recall
      ? { ...view.recall, requestedAt: view.recall.requestedAt.toISOString(), completedAt: view.recall.completedAt?.toISOString() ?? null }
      : null,
  };
}

export function presentRecipientPage(page: RecipientPage): ListRecipientsResponse {
  return {
    items: page.items.map((r) => ({
      userId: r.userId,
      status: r.status,
      reasonCode: r.reasonCode,
      reasonMessage: r.reasonMessage,
      processQueryKey: r.processQueryKey,
      attempts: r.attempts,
      updatedAt: new Date(r.updatedAt).toISOString(),
      deliveredAt: r.deliveredAt ? new Date(r.deliveredAt).toISOString() : null,
      readStatus: r.readStatus,
      readAt: r.readAt ? new Date(r.readAt).toISOString() : null,
      recallStatus: r.recallStatus,
      recallReason: r.recallReason,
      recalledAt: r.recalledAt ? new Date(r.recalledAt).toISOString() : null,
    })),
    nextToken: page.nextToken,
  };
}
