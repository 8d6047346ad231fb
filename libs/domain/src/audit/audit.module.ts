import { Module } from '@nestjs/common';
import { ListSendEventsUseCase } from '../send-events/list-send-events.usecase.js';
import { SendEventLog } from '../send-events/send-event-log.js';
import { AuditTrail } from './audit-trail.js';
import { ListAuditEventsUseCase } from './list-audit-events.usecase.js';

const PROVIDERS = [AuditTrail, SendEventLog, ListAuditEventsUseCase, ListSendEventsUseCase];

/**
 * The audit trail and the send timeline: stateless writers that record inside the caller's transactions, and their
 * readers. Imported (and re-exported) by the global DatabaseModule, so every module has them.
 */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class AuditModule {}
