import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Deliveries through a chat configuration are held until `pausedUntil` (DingTalk's monthly quota is spent). */
@Entity({ name: 'delivery_pauses' })
export class DeliveryPauseEntity {
  @PrimaryColumn({ name: 'chat_configuration', type: 'text' })
  chatConfiguration!: string;

  /** A retry class, e.g. `quota-exhausted`. */
  @Column({ type: 'text' })
  reason!: string;

  /** DingTalk's code that caused the pause. */
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'paused_since', type: 'timestamptz', default: () => 'now()' })
  pausedSince!: Date;

  @Column({ name: 'paused_until', type: 'timestamptz' })
  pausedUntil!: Date;
}
