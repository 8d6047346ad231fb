import { Column, Entity, PrimaryColumn } from 'typeorm';

/** DingTalk calls of one chat configuration in one calendar month (DingTalk's quota period); one of several shards. */
@Entity({ name: 'dingtalk_usage' })
export class DingTalkUsageEntity {
  @PrimaryColumn({ name: 'chat_configuration', type: 'text', primaryKeyConstraintName: 'dingtalk_usage_pkey' })
  chatConfiguration!: string;

  /** First day of the month, in the quota's time zone. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'dingtalk_usage_pkey' })
  month!: string;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'dingtalk_usage_pkey' })
  shard!: number;

  /** Calls that reached DingTalk (whatever the answer). */
  @Column({ type: 'bigint', default: 0 })
  calls!: string;

  /** Calls DingTalk charges to the monthly quota: not QPS-throttled ones (spec §8.1). */
  @Column({ name: 'billable_calls', type: 'bigint', default: 0 })
  billableCalls!: string;

  /** Users named in those calls. */
  @Column({ type: 'bigint', default: 0 })
  recipients!: string;

  @Column({ type: 'bigint', default: 0 })
  delivered!: string;

  @Column({ type: 'bigint', default: 0 })
  throttled!: string;

  @Column({ type: 'bigint', default: 0 })
  errors!: string;
}
