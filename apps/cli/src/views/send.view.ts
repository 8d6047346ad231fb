import type { CreatedSend, SendStatusResponse } from '@dingrelay/contracts/client';
import { formatCount, formatMap, formatTime } from '../format.js';
import { renderFields, renderTable } from '../table.js';

export function renderCreatedSend(send: CreatedSend): string {
  return (
    renderFields([
      ['send', send.id],
      ['status', send.replayed ? `${send.status} (replayed: this Idempotency-Key was used before)` : send.status],
      ['recipients', `${formatCount(send.recipients.accepted)} (${formatCount(send.recipients.duplicatesRemoved)} duplicates removed)`],
      ['batches', send.batches],
      ['delivery policy', send.deliveryPolicy],
    ]) + `\nFollow it with: dingrelay status ${send.id} --wait\n`
  );
}

export function renderSendStatus(send: SendStatusResponse): string {
  const counts = Object.entries(send.recipients)
    .filter(([status]) => status !== 'total')
    .map(([status, count]) => ({ status, count }));
  const fields: [string, string | number | null][] = [
    ['send', send.id],
    ['status', send.status],
    ['msgKey', send.msgKey],
    ['delivery policy', send.deliveryPolicy],
    ['requested by', send.requestedBy?.name ?? null],
    ['created', formatTime(send.createdAt)],
    ['completed', formatTime(send.completedAt)],
    ['cancelled', formatTime(send.cancelledAt)],
    ['batches', `${send.batches.remaining} of ${send.batches.total} remaining`],
    ['estimated completion', formatTime(send.progress.estimatedCompletionAt)],
    ['paused', send.progress.paused ? `${send.progress.paused.reason} until ${formatTime(send.progress.paused.until)}` : null],
    ['lost answers', send.progress.ambiguousCalls || null],
    ['read', `${send.read.read} read, ${send.read.unread} unread, ${send.read.notChecked} not checked yet`],
  ];
  if (send.recall) {
    fields.push([
      'recall',
      `${send.recall.recalled} recalled, ${send.recall.failed} failed, ${send.recall.pending} pending` +
        (send.recall.failed ? ` (${formatMap(send.recall.failedByReason)})` : ''),
    ]);
  }
  if (send.recipientsPurgedAt) fields.push(['recipients purged', formatTime(send.recipientsPurgedAt)]);
  return (
    renderFields(fields) +
    '\n' +
    renderTable(
      [...counts, { status: 'total', count: send.recipients.total }],
      [
        { header: 'RECIPIENTS', value: (r) => r.status },
        { header: 'COUNT', value: (r) => formatCount(r.count), align: 'right' },
      ],
    )
  );
}
