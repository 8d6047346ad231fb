import type { ChatConfigurationStatus, ChatConfigurationType } from '@dingrelay/contracts';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A DingTalk (or WeChat) app and robot that sends go through. Secrets are AES-256-GCM ciphertexts under the key
 * `secretKeyId` names (see SecretCipher); nothing here is ever answered or logged as stored.
 */
@Entity({ name: 'chat_configurations' })
@Index('chat_configurations_name_key', ['name'], { unique: true })
@Check('chat_configurations_type_check', `type IN ('DingTalk', 'WeChat')`)
@Check('chat_configurations_status_check', `status IN ('active', 'inactive')`)
export class ChatConfigurationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: ChatConfigurationType;

  @Column({ type: 'text', default: 'active' })
  status!: ChatConfigurationStatus;

  @Column({ name: 'ram_role', type: 'text', nullable: true })
  ramRole!: string | null;

  @Column({ name: 'resource_group_id', type: 'text', nullable: true })
  resourceGroupId!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  tags!: Record<string, string>;

  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  @Column({ name: 'client_secret_encrypted', type: 'text', nullable: true })
  clientSecretEncrypted!: string | null;

  @Column({ name: 'robot_code', type: 'text', nullable: true })
  robotCode!: string | null;

  @Column({ name: 'template_id', type: 'text', nullable: true })
  templateId!: string | null;

  @Column({ name: 'calls_per_second', type: 'double precision', nullable: true })
  callsPerSecond!: number | null;

  @Column({ name: 'pace_utilization', type: 'double precision', nullable: true })
  paceUtilization!: number | null;

  @Column({ name: 'monthly_call_quota', type: 'int', nullable: true })
  monthlyCallQuota!: number | null;

  @Column({ name: 'aes_key_encrypted', type: 'text' })
  aesKeyEncrypted!: string;

  @Column({ name: 'callback_token_encrypted', type: 'text' })
  callbackTokenEncrypted!: string;

  /** Which SECRET_ENCRYPTION_KEYS entry encrypted this row's secrets. */
  @Column({ name: 'secret_key_id', type: 'text' })
  secretKeyId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
