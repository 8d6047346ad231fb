import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeliveryPolicy, type MsgKey, type MsgParam, RecipientStatus, SendStatus } from '@dingrelay/contracts';
import { DINGTALK_LIMITS } from '@dingrelay/dingtalk-client';
import { DataSource, QueryFailedError } from 'typeorm';
import { within } from '../async/time-limit.js';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import {
  type ChatConfigurationRef,
  DEFAULT_CHAT_CONFIGURATION,
  type DefaultChatConfiguration,
} from '../chat-configurations/chat-configuration.js';
import { resolveSendConfiguration } from '../chat-configurations/resolve-send-configuration.js';
import { sentThroughCurrentConfiguration } from '../chat-configurations/send-configuration.sql.js';
import { ConflictError } from '../errors/domain.error.js';
import { BatchStatus } from '../persistence/entities/batch.entity.js';
import { DeliverBatchProducer } from '../queue/deliver-batch.producer.js';
import { SendEventLog, SendEventType } from '../send-events/send-event-log.js';

export interface CreateSendCommand {
  userIds: readonly string[];
  msgKey: MsgKey;
  msgParam: MsgParam;
  deliveryPolicy?: DeliveryPolicy;
  /** The caller's Idempotency-Key: the same key with the same request returns the first send instead of a new one. */
  idempotencyKey?: string;
  /**
   * The name of the chat configuration to send through; the default configuration when omitted. A ref with its
   * robotCode is taken as it is, without a lookup (configurations pinned by tests).
   */
  chatConfiguration?: string | ChatConfigurationRef;
  /** Who asks: recorded as the send's requester and in the audit log. */
  actor: AuditActor;
}

export interface CreateSendResult {
  id: string;
  status: SendStatus;
  recipients: number;
  duplicatesRemoved: number;
  batches: number;
  deliveryPolicy: DeliveryPolicy;
  /** False when Redis could not take the jobs in time; the worker's reconciler enqueues them later. */
  enqueued: boolean;
  /** True when an earlier request with the same Idempotency-Key created this send; nothing new was written. */
  replayed: boolean;
}

/** Target of a refused create: no send exists to name. */
const NO_SEND_YET = '-';

/** Long enough for a healthy Redis to take thousands of jobs; short enough that a dead one doesn't hang the request. */
const ENQUEUE_TIMEOUT_MS = 5_000;

/**
 * Accepts a send: de-duplicates its users, writes the send, its batches and its recipients in one transaction with
 * set-based statements (three round trips whatever the size), then enqueues one job per batch. Nothing is enqueued
 * before the commit, so a worker never sees a batch that might still roll back.
 */
@Injectable()
export class CreateSendUseCase {
  private readonly logger = new Logger(CreateSendUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: DeliverBatchProducer,
    @Inject(DEFAULT_CHAT_CONFIGURATION) private readonly configuration: DefaultChatConfiguration,
    private readonly audit: AuditTrail,
    private readonly events: SendEventLog,
  ) {}

  async execute(command: CreateSendCommand): Promise<CreateSendResult> {
    try {
      return await this.accept(command);
    } catch (error) {
      const refused = { actor: command.actor, action: 'send.create', targetType: 'send', targetId: NO_SEND_YET };
      await this.audit.recordRefusal(this.dataSource.manager, { ...refused, details: { idempotencyKey: command.idempotencyKey ?? null } }, error);
      throw error;
    }
  }

  private async accept(command: CreateSendCommand): Promise<CreateSendResult> {
    const userIds = [...new Set(command.userIds)];
    const deliveryPolicy = command.deliveryPolicy ?? DeliveryPolicy.AtLeastOnce;
    const requestHash = command.idempotencyKey ? hashRequest(command, deliveryPolicy) : null;
    const scope = this.configurationNameOf(command);
    if (command.idempotencyKey && requestHash) {
      const earlier = await this.replay(scope, command.idempotencyKey, requestHash);
      if (earlier) return earlier;
    }
    const id = randomUUID();
    const batchCount = Math.ceil(userIds.length / DINGTALK_LIMITS.batchSendMaxUserIds);

    let batchIds: string[];
    try {
      batchIds = await this.record(id, command, userIds, deliveryPolicy, batchCount, requestHash);
    } catch (error) {
      // Two requests with one key raced past the lookup; the unique index let exactly one of them in.
      if (command.idempotencyKey && requestHash && isIdempotencyKeyViolation(error)) {
        const earlier = await this.replay(scope, command.idempotencyKey, requestHash);
        if (earlier) return earlier;
      }
      throw error;
    }

    const enqueued = await this.enqueue(id, batchIds);
    return {
      id,
      status: SendStatus.Accepted,
      recipients: userIds.length,
      duplicatesRemoved: command.userIds.length - userIds.length,
      batches: batchCount,
      deliveryPolicy,
      enqueued,
      replayed: false,
    };
  }

  /** The configuration a send goes through, by name: with its current id, the scope of its Idempotency-Key. */
  private configurationNameOf(command: CreateSendCommand): string {
    const requested = command.chatConfiguration;
    return typeof requested === 'object' ? requested.name : (requested ?? this.configuration.name);
  }

  /**
   * The send an earlier request with this key created through the same configuration, or a 409 when the key was used
   * there for a different request. Keys are scoped per configuration, so the send a 409 names is one every caller
   * allowed to send through that configuration may read; another configuration's sends are never looked at, nor those
   * of a configuration deleted before this one was created under its name.
   */
  private async replay(chatConfiguration: string, idempotencyKey: string, requestHash: string): Promise<CreateSendResult | undefined> {
    const [send]: { id: string; request_hash: string | null; recipient_count: number; duplicates_removed: number; delivery_policy: DeliveryPolicy }[] =
      await this.dataSource.query(
        `SELECT id, request_hash, recipient_count, duplicates_removed, delivery_policy FROM sends s
          WHERE s.chat_configuration = $1 AND s.idempotency_key = $2 AND ${sentThroughCurrentConfiguration('s')}`,
        [chatConfiguration, idempotencyKey],
      );
    if (!send) return undefined;
    if (send.request_hash !== requestHash) {
      throw new ConflictError(
        `Idempotency-Key ${idempotencyKey} was already used for a different request (send ${send.id}); use a new key for a new send`,
        [{ field: 'Idempotency-Key', message: 'already used with a different request body' }],
      );
    }
    return {
      id: send.id,
      status: SendStatus.Accepted,
      recipients: send.recipient_count,
      duplicatesRemoved: send.duplicates_removed,
      batches: Math.ceil(send.recipient_count / DINGTALK_LIMITS.batchSendMaxUserIds),
      deliveryPolicy: send.delivery_policy,
      enqueued: true,
      replayed: true,
    };
  }

  private async record(
    id: string,
    command: CreateSendCommand,
    userIds: string[],
    deliveryPolicy: DeliveryPolicy,
    batchCount: number,
    requestHash: string | null,
  ): Promise<string[]> {
      return this.dataSource.transaction(async (tx) => {
        // Share-locked until commit: a concurrent delete or deactivation waits for this send, or this send sees it.
        const target = await resolveSendConfiguration(tx, command.chatConfiguration, this.configuration);
        await tx.query(
          `INSERT INTO sends (id, chat_configuration, chat_configuration_id, robot_code, msg_key, msg_param, delivery_policy,
                              recipient_count, duplicates_removed, batch_count, idempotency_key, request_hash,
                              requested_by_key_id, requested_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            id,
            target.name,
            target.id,
            target.robotCode,
            command.msgKey,
            JSON.stringify(command.msgParam),
            deliveryPolicy,
            userIds.length,
            command.userIds.length - userIds.length,
            batchCount,
            command.idempotencyKey ?? null,
            requestHash,
            command.actor.apiKeyId,
            command.actor.name,
          ],
        );
        // Batch ids are drawn here, so each recipient names its batch by position: no join back to the batches.
        const batchIds = Array.from({ length: batchCount }, () => randomUUID());
        await tx.query(
          `INSERT INTO batches (id, send_id, seq, status, user_ids)
           SELECT ($5::uuid[])[((u.ord - 1) / $3)::int + 1], $1, ((u.ord - 1) / $3)::int, $4, array_agg(u.user_id ORDER BY u.ord)
             FROM unnest($2::text[]) WITH ORDINALITY AS u(user_id, ord)
            GROUP BY (u.ord - 1) / $3`,
          [id, userIds, DINGTALK_LIMITS.batchSendMaxUserIds, BatchStatus.Pending, batchIds],
        );
        // Ordered so identity ids follow the request's order: recipient pages list users as they were given.
        await tx.query(
          `INSERT INTO recipients (send_id, user_id, batch_id, status)
           SELECT $1, u.user_id, ($5::uuid[])[((u.ord - 1) / $3)::int + 1], $4
             FROM unnest($2::text[]) WITH ORDINALITY AS u(user_id, ord)
            ORDER BY u.ord`,
          [id, userIds, DINGTALK_LIMITS.batchSendMaxUserIds, RecipientStatus.Pending, batchIds],
        );
        const details = {
          recipients: userIds.length,
          duplicatesRemoved: command.userIds.length - userIds.length,
          batches: batchCount,
          deliveryPolicy,
          chatConfiguration: target.name,
          chatConfigurationId: target.id,
        };
        await this.events.append(tx, [{ sendId: id, type: SendEventType.Accepted, details: { ...details, requestedBy: command.actor.name } }]);
        await this.audit.record(tx, { actor: command.actor, action: 'send.create', targetType: 'send', targetId: id, details });
        return batchIds;
      });
  }

  private async enqueue(sendId: string, batchIds: string[]): Promise<boolean> {
    try {
      const enqueued = this.producer.enqueue(batchIds.map((batchId) => ({ id: batchId })));
      await within(enqueued, ENQUEUE_TIMEOUT_MS, `queue did not answer within ${ENQUEUE_TIMEOUT_MS} ms`);
      return true;
    } catch (error) {
      // The send is committed; its batches stay pending and the worker's reconciler enqueues them.
      this.logger.warn(`send ${sendId}: enqueue deferred to the reconciler (${(error as Error).message})`);
      return false;
    }
  }
}

/** The request as the key promises it: users as given, the template, its fields in a stable order, the policy. */
function hashRequest(command: CreateSendCommand, deliveryPolicy: DeliveryPolicy): string {
  const msgParam = Object.fromEntries(Object.entries(command.msgParam).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const canonical = JSON.stringify([command.userIds, command.msgKey, msgParam, deliveryPolicy, (typeof command.chatConfiguration === 'object' ? command.chatConfiguration.name : command.chatConfiguration) ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The unique indexes an Idempotency-Key is held to: per configuration id, and per name for sends without one. */
const IDEMPOTENCY_KEY_INDEXES = new Set(['sends_idempotency_key', 'sends_idempotency_key_by_name']);

function isIdempotencyKeyViolation(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === '23505' && IDEMPOTENCY_KEY_INDEXES.has(driverError.constraint ?? '');
}
