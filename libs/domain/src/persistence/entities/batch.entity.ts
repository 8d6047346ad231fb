import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { SendEntity } from './send.entity.js';

export const BatchStatus = {
  /** Waiting for its job (possibly delayed until `notBefore`). */
  Pending: 'pending',
  /** Claimed by a worker; the DingTalk call may be under way. Seen by a later claim, it means a crash mid-call. */
  InFlight: 'in_flight',
  /** DingTalk answered 200; per-user outcomes are on the recipients. */
  Sent: 'sent',
  /** DingTalk refused the call for good, or retries ran out. */
  Failed: 'failed',
  /** The outcome of a call is unknown and the send's policy forbids re-sending. */
  Unknown: 'unknown',
  /** Nothing left to send (its recipients were cancelled or moved on). */
  Cancelled: 'cancelled',
} as const;
export type BatchStatus = (typeof BatchStatus)[keyof typeof BatchStatus];
export const OPEN_BATCH_STATUSES: readonly BatchStatus[] = [BatchStatus.Pending, BatchStatus.InFlight];

/**
 * One DingTalk batchSend call: at most 20 users. Flow-controlled users are re-sent in re-send batches, which gather
 * the send's flow-controlled users due back at about the same time (see placeFlowControlledUsers).
 */
@Entity({ name: 'batches' })
// What recipients' one foreign key points at (their batch and send together).
@Unique('batches_id_send_key', ['id', 'sendId'])
@Index('batches_send_seq_key', ['sendId', 'seq'], { unique: true })
// Partial: the reconciler scans open batches only, however much history piles up (see the migration).
@Index('batches_open_idx', ['updatedAt'], { where: `status IN ('pending', 'in_flight')` })
@Index('batches_open_send_idx', ['sendId'], { where: `status IN ('pending', 'in_flight')` })
@Index('batches_read_due_idx', ['readNextPollAt'], { where: 'read_next_poll_at IS NOT NULL' })
export class BatchEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'send_id', type: 'uuid' })
  sendId!: string;

  @ManyToOne(() => SendEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'send_id', foreignKeyConstraintName: 'batches_send_id_fkey' })
  send?: SendEntity;

  /** Order within the send; re-send batches continue the sequence. */
  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'text' })
  status!: BatchStatus;

  /**
   * The users this call was built for, kept as the record of the call even after some move to re-send batches. A
   * re-send batch gains users only before its first call, so this names everyone each of its calls named.
   */
  @Column({ name: 'user_ids', type: 'text', array: true })
  userIds!: string[];

  /** Calls made to DingTalk for this batch. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /**
   * Calls whose outcome was lost, so DingTalk may have delivered them: answers that never came or were server errors,
   * and calls of a crashed attempt (found still in flight by the next claim).
   */
  @Column({ name: 'ambiguous_attempts', type: 'int', default: 0 })
  ambiguousAttempts!: number;

  /** Calls answered with QPS throttling: counted in `attempts`, but they don't spend the retry budget. */
  @Column({ name: 'throttled_attempts', type: 'int', default: 0 })
  throttledAttempts!: number;

  /** Set on re-send batches: the batch whose flow-controlled users started it (others may have joined since). */
  @Column({ name: 'parent_batch_id', type: 'uuid', nullable: true })
  parentBatchId!: string | null;

  @Column({ name: 'not_before', type: 'timestamptz', nullable: true })
  notBefore!: Date | null;

  @Column({ name: 'process_query_key', type: 'text', nullable: true })
  processQueryKey!: string | null;

  @Column({ name: 'dingtalk_request_id', type: 'text', nullable: true })
  dingtalkRequestId!: string | null;

  @Column({ name: 'last_error_code', type: 'text', nullable: true })
  lastErrorCode!: string | null;

  @Column({ name: 'last_error_message', type: 'text', nullable: true })
  lastErrorMessage!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** When the worker polls readStatus next; null once polling is over (everyone read, 24 h passed, recalled). */
  @Column({ name: 'read_next_poll_at', type: 'timestamptz', nullable: true })
  readNextPollAt!: Date | null;

  /** readStatus calls made for this batch. */
  @Column({ name: 'read_polls', type: 'int', default: 0 })
  readPolls!: number;

  /** Last readStatus answer that was a 200. */
  @Column({ name: 'read_checked_at', type: 'timestamptz', nullable: true })
  readCheckedAt!: Date | null;

  /** The code of the last failed readStatus call, if the last call failed. */
  @Column({ name: 'read_error_code', type: 'text', nullable: true })
  readErrorCode!: string | null;

  /** `recalled` | `failed` once a recall of the send handled this batch's processQueryKey. */
  @Column({ name: 'recall_status', type: 'text', nullable: true })
  recallStatus!: 'recalled' | 'failed' | null;

  @Column({ name: 'recall_reason', type: 'text', nullable: true })
  recallReason!: string | null;

  @Column({ name: 'recalled_at', type: 'timestamptz', nullable: true })
  recalledAt!: Date | null;
}
