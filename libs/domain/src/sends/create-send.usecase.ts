import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeliveryPolicy, type MsgKey, type MsgParam, RecipientStatus, SendStatus } from '@dingrelay/contracts';
import { DINGTALK_LIMITS } from '@dingrelay/dingtalk-client';
import { DataSource } from 'typeorm';
import { type ChatConfigurationRef, DEFAULT_CHAT_CONFIGURATION } from '../chat-configurations/chat-configuration.js';
import { BatchStatus } from '../persistence/entities/batch.entity.js';
import { DeliverBatchProducer } from '../queue/deliver-batch.producer.js';

export interface CreateSendCommand {
  userIds: readonly string[];
  msgKey: MsgKey;
  msgParam: MsgParam;
  deliveryPolicy?: DeliveryPolicy;
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
}

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
    @Inject(DEFAULT_CHAT_CONFIGURATION) private readonly configuration: ChatConfigurationRef,
  ) {}

  async execute(command: CreateSendCommand): Promise<CreateSendResult> {
    const userIds = [...new Set(command.userIds)];
    const deliveryPolicy = command.deliveryPolicy ?? DeliveryPolicy.AtLeastOnce;
    const id = randomUUID();
    const batchCount = Math.ceil(userIds.length / DINGTALK_LIMITS.batchSendMaxUserIds);

    const batchIds = await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO sends (id, chat_configuration, robot_code, msg_key, msg_param, delivery_policy,
                            recipient_count, duplicates_removed, batch_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          this.configuration.name,
          this.configuration.robotCode,
          command.msgKey,
          JSON.stringify(command.msgParam),
          deliveryPolicy,
          userIds.length,
          command.userIds.length - userIds.length,
          batchCount,
        ],
      );
      const batches: { id: string }[] = await tx.query(
        `INSERT INTO batches (id, send_id, seq, status, user_ids)
         SELECT gen_random_uuid(), $1, ((u.ord - 1) / $3)::int, $4, array_agg(u.user_id ORDER BY u.ord)
           FROM unnest($2::text[]) WITH ORDINALITY AS u(user_id, ord)
          GROUP BY (u.ord - 1) / $3
         RETURNING id`,
        [id, userIds, DINGTALK_LIMITS.batchSendMaxUserIds, BatchStatus.Pending],
      );
      // Ordered so identity ids follow the request's order: recipient pages list users as they were given.
      await tx.query(
        `INSERT INTO recipients (send_id, user_id, batch_id, status)
         SELECT $1, u.user_id, b.id, $4
           FROM unnest($2::text[]) WITH ORDINALITY AS u(user_id, ord)
           JOIN batches b ON b.send_id = $1 AND b.seq = ((u.ord - 1) / $3)::int
          ORDER BY u.ord`,
        [id, userIds, DINGTALK_LIMITS.batchSendMaxUserIds, RecipientStatus.Pending],
      );
      return batches.map((b) => b.id);
    });

    const enqueued = await this.enqueue(id, batchIds);
    return {
      id,
      status: SendStatus.Accepted,
      recipients: userIds.length,
      duplicatesRemoved: command.userIds.length - userIds.length,
      batches: batchCount,
      deliveryPolicy,
      enqueued,
    };
  }

  private async enqueue(sendId: string, batchIds: string[]): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queue did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.producer.enqueue(batchIds.map((batchId) => ({ id: batchId }))), timeout]);
      return true;
    } catch (error) {
      // The send is committed; its batches stay pending and the worker's reconciler enqueues them.
      this.logger.warn(`send ${sendId}: enqueue deferred to the reconciler (${(error as Error).message})`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
