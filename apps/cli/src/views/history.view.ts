import type { RecipientHistoryItem, SendHistoryItem } from '@dingrelay/contracts/client';
import { formatTime } from '../format.js';
import type { Column } from '../table.js';

export const SEND_HISTORY_COLUMNS: Column<SendHistoryItem>[] = [
  { header: 'CREATED', value: (s) => formatTime(s.createdAt) },
  { header: 'SEND', value: (s) => s.id },
  { header: 'CONFIGURATION', value: (s) => s.chatConfiguration },
  { header: 'MSG KEY', value: (s) => s.msgKey },
  { header: 'STATUS', value: (s) => s.status },
  { header: 'RECIPIENTS', value: (s) => s.recipientCount, align: 'right' },
  { header: 'REQUESTED BY', value: (s) => s.requestedBy },
];

export const RECIPIENT_HISTORY_COLUMNS: Column<RecipientHistoryItem>[] = [
  { header: 'CREATED', value: (r) => formatTime(r.createdAt) },
  { header: 'SEND', value: (r) => r.sendId },
  { header: 'USER', value: (r) => r.userId },
  { header: 'CONFIGURATION', value: (r) => r.chatConfiguration },
  { header: 'MSG KEY', value: (r) => r.msgKey },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'REASON', value: (r) => r.reasonCode, maxWidth: 30 },
  { header: 'READ', value: (r) => r.readStatus },
  { header: 'RECALL', value: (r) => r.recallStatus },
];
