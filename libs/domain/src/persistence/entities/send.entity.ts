import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DeliveryPolicy, MsgKey, MsgParam } from '@dingrelay/contracts';

/** One accepted request: a message to many users through one chat configuration. */
@Entity({ name: 'sends' })
@Index('sends_created_at_idx', ['createdAt', 'id'])
@Index('sends_incomplete_idx', ['chatConfiguration', 'createdAt'], { where: 'completed_at IS NULL' })
// Keys are per configuration, and a configuration re-created under an old name is another one: a reused key never
// reaches a send outside it (the 1765000000000 and 1765300000000 migrations). Sends recorded without a configuration
// id (pinned configurations, configurations deleted before ids were recorded) keep the per-name rule among themselves.
@Index('sends_idempotency_key', ['chatConfigurationId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL AND chat_configuration_id IS NOT NULL',
})
@Index('sends_idempotency_key_by_name', ['chatConfiguration', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL AND chat_configuration_id IS NULL',
})
// Retention's candidates: sends whose recipient detail is still there (see the 1764000000001 migration).
@Index('sends_retention_idx', ['createdAt'], { where: 'recipients_purged_at IS NULL' })
// History filters, each ending in the keyset (see the 1764600000000 migration).
@Index('sends_configuration_created_idx', ['chatConfiguration', 'createdAt', 'id'])
@Index('sends_robot_code_created_idx', ['robotCode', 'createdAt', 'id'])
@Index('sends_msg_key_created_idx', ['msgKey', 'createdAt', 'id'])
@Index('sends_requested_by_created_idx', ['requestedBy', 'createdAt', 'id'])
@Index('sends_cancelled_created_idx', ['createdAt', 'id'], { where: 'cancelled_at IS NOT NULL' })
@Index('sends_unfinished_created_idx', ['createdAt', 'id'], { where: 'completed_at IS NULL' })
@Index('sends_recall_open_idx', ['recallRequestedAt'], { where: 'recall_requested_at IS NOT NULL AND recall_completed_at IS NULL' })
export class SendEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** The configuration's name when the send was made; another configuration may have it now (see the id). */
  @Column({ name: 'chat_configuration', type: 'text' })
  chatConfiguration!: string;

  /**
   * The id of the configuration the send went through. Null when no configuration row had the name (a configuration
   * pinned in the process), or for sends made before ids were recorded through a configuration deleted before then.
   * No foreign key: a configuration is deleted, its sends stay, and this id then names no configuration.
   */
  @Column({ name: 'chat_configuration_id', type: 'uuid', nullable: true })
  chatConfigurationId!: string | null;

  @Column({ name: 'robot_code', type: 'text' })
  robotCode!: string;

  @Column({ name: 'msg_key', type: 'text' })
  msgKey!: MsgKey;

  @Column({ name: 'msg_param', type: 'jsonb' })
  msgParam!: MsgParam;

  @Column({ name: 'delivery_policy', type: 'text' })
  deliveryPolicy!: DeliveryPolicy;

  @Column({ name: 'recipient_count', type: 'int' })
  recipientCount!: number;

  @Column({ name: 'duplicates_removed', type: 'int' })
  duplicatesRemoved!: number;

  @Column({ name: 'batch_count', type: 'int' })
  batchCount!: number;

  /** The caller's `Idempotency-Key`: a retried request with the same key gets this send back, not a new one. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 of the canonical request, to tell a retry (same body) from a key reused for something else. */
  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** The API key that asked for this send (null for sends made before keys existed). */
  @Column({ name: 'requested_by_key_id', type: 'uuid', nullable: true })
  requestedByKeyId!: string | null;

  /** That key's name when the send was made. */
  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  /**
   * Recipients per status, counted when the send completed (no recipient changes status after that) or, for a send
   * completed before that was kept, when retention purged the rows. Null while the send is unfinished.
   */
  @Column({ name: 'recipient_summary', type: 'jsonb', nullable: true })
  recipientSummary!: Record<string, number> | null;

  /** Calls of the send's batches whose answer was lost, summed when the send completed; null until then. */
  @Column({ name: 'ambiguous_calls', type: 'int', nullable: true })
  ambiguousCalls!: number | null;

  /** When retention removed this send's recipient-level detail. */
  @Column({ name: 'recipients_purged_at', type: 'timestamptz', nullable: true })
  recipientsPurgedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** When a recall of the send was asked for; the worker recalls every batch delivered within DingTalk's 24 h. */
  @Column({ name: 'recall_requested_at', type: 'timestamptz', nullable: true })
  recallRequestedAt!: Date | null;

  /** When every batch of the recall had its outcome (recalled, failed or expired). */
  @Column({ name: 'recall_completed_at', type: 'timestamptz', nullable: true })
  recallCompletedAt!: Date | null;

  /** A worker recalling this send holds it until then; also the earliest retry after a transient failure. */
  @Column({ name: 'recall_lease_until', type: 'timestamptz', nullable: true })
  recallLeaseUntil!: Date | null;
}
