import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One quick entry as applied: the i18n name as a map, not DingTalk's JSON string. */
export interface AppliedPluginEntry {
  name: Record<string, string>;
  icon: string;
  pcUrl?: string;
  mobileUrl?: string;
}

/** The quick entries dingrelay last applied to a configuration's robot (DingTalk itself is the live truth). */
@Entity({ name: 'chat_configuration_plugins' })
export class ChatConfigurationPluginsEntity {
  @PrimaryColumn({ name: 'chat_configuration', type: 'text' })
  chatConfiguration!: string;

  @Column({ name: 'robot_code', type: 'text' })
  robotCode!: string;

  /** `set` or `clear`. */
  @Column({ name: 'last_action', type: 'text' })
  lastAction!: 'set' | 'clear';

  @Column({ type: 'jsonb' })
  entries!: AppliedPluginEntry[];

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt!: Date;

  /** The acting API key's name (or `system:…`). */
  @Column({ name: 'applied_by', type: 'text' })
  appliedBy!: string;

  @Column({ name: 'applied_by_key_id', type: 'uuid', nullable: true })
  appliedByKeyId!: string | null;
}
