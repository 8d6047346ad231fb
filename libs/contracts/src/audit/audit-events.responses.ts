import type { IsoDateTime } from '../sends/send.responses.js';
import type { AuditOutcome } from './audit-events.query.js';

/** One recorded action. */
export interface AuditEventResponse {
  /** Increasing with each event recorded. */
  id: string;
  occurredAt: IsoDateTime;
  /** `apiKeyId` null: the system itself (e.g. `system:retention`). */
  actor: { apiKeyId: string | null; name: string; role: string | null };
  action: string;
  target: { type: string; id: string };
  /** The API request that made the change (its `X-Request-Id`); null for scheduled jobs. */
  requestId: string | null;
  outcome: AuditOutcome;
  /** What changed; for a failed outcome, `errorCode` and `message`. */
  details: Record<string, unknown>;
}

export interface AuditEventPage {
  items: AuditEventResponse[];
  /** Pass as `nextToken` for the following (older) page; null on the last page. */
  nextToken: string | null;
}
