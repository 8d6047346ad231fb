import { Module } from '@nestjs/common';
import { SendEventLog } from '../send-events/send-event-log.js';
import { AuditTrail } from './audit-trail.js';

/** The audit trail and the send timeline: stateless writers any module can import to record inside its transactions. */
@Module({ providers: [AuditTrail, SendEventLog], exports: [AuditTrail, SendEventLog] })
export class AuditModule {}
