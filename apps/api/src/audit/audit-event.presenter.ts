import type { AuditEventPage, SendEventPage } from '@dingrelay/contracts';
import type { AuditEventPageView, SendEventPageView } from '@dingrelay/domain';

export function presentAuditEventPage(page: AuditEventPageView): AuditEventPage {
  return {
    items: page.items.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      actor: { apiKeyId: e.actorKeyId, name: e.actorName, role: e.actorRole },
      action: e.action,
      target: { type: e.targetType, id: e.targetId },
      requestId: e.requestId,
      outcome: e.outcome,
      details: e.details,
    })),
    nextToken: page.nextToken,
  };
}

export function presentSendEventPage(page: SendEventPageView): SendEventPage {
  return {
    items: page.items.map((e) => ({
      id: e.id,
      type: e.type,
      batchId: e.batchId,
      occurredAt: e.occurredAt.toISOString(),
      details: e.details,
    })),
    nextToken: page.nextToken,
  };
}
