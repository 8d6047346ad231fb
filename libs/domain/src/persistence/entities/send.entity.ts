import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DeliveryPolicy, MsgKey, MsgParam } from '@dingrelay/contracts';

/** One accepted request: a message to many users through one chat configuration. */
@Entity({ name: 'sends' })
@Index('sends_created_at_idx', ['createdAt', 'id'])
export class SendEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'chat_configuration', type: 'text' })
  chatConfiguration!: string;

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
