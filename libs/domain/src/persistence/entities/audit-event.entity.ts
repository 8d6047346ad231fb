import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One state-changing action: who, what, on what, with which outcome. Append-only (a trigger refuses the rest), and
 * hash-chained: the database sets `occurred_at` and the chain columns at insert (migration 1764900000000).
 */
@Entity({ name: 'audit_events' })
@Index('audit_events_chain_position_idx', ['chainPosition'], { unique: true })
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

  /** 1, 2, 3, … without gaps, in commit order: the event's place in the chain. */
  @Column({ name: 'chain_position', type: 'bigint' })
  chainPosition!: string;

  /** The previous event's `hash` (64 zeros for the first), hex. */
  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  /** SHA-256 of the canonical content, hex (audit/chain/audit-event-canonical.ts). */
  @Column({ type: 'text' })
  hash!: string;
}
