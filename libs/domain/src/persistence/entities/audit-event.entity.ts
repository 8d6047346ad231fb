import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One state-changing action: who, what, on what, with which outcome. Append-only (a trigger refuses the rest). */
@Entity({ name: 'audit_events' })
@Index('audit_events_occurred_at_idx', ['occurredAt'])
@Index('audit_events_actor_idx', ['actorKeyId', 'id'])
@Index('audit_events_target_idx', ['targetType', 'targetId', 'id'])
@Index('audit_events_action_idx', ['action', 'id'])
export class AuditEventEntity {
  /** Monotonic: the keyset of the newest-first pages. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  /** Null for the system's own jobs. */
  @Column({ name: 'actor_key_id', type: 'uuid', nullable: true })
  actorKeyId!: string | null;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @Column({ name: 'actor_role', type: 'text', nullable: true })
  actorRole!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text' })
  targetType!: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId!: string;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details!: Record<string, unknown>;
}
