import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One step of a send's timeline, written in the transaction of the change it describes. */
@Entity({ name: 'send_events' })
@Index('send_events_send_idx', ['sendId', 'id'])
export class SendEventEntity {
  /** Monotonic: the timeline's order. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'send_id', type: 'uuid' })
  sendId!: string;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details!: Record<string, unknown>;
}
