import { AUDIT_OUTCOMES, type AuditOutcome, type ListAuditEventsParams } from '@dingrelay/contracts/client';
import { boundedTextFilter } from '../../hooks/bounded-text.filter';
import { choiceFilter, type FilterField, type FilterSpec, instantFilter } from '../../hooks/use-url-filters';

/** The audit log's filters, named as `GET /v1/audit-events` names them (so the console's URL reads like the call). */
export interface AuditFilters {
  action?: string;
  actorKeyId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
}

/** The API's limit on the text filters. */
const boundedText = boundedTextFilter(255);

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An API key id: the API takes only a UUID here. */
const keyIdFilter: FilterField<string> = {
  parse: (raw) => (UUID_PATTERN.test(raw.trim()) ? raw.trim().toLowerCase() : undefined),
  format: (value) => value,
};

export const AUDIT_FILTER_SPEC: FilterSpec<AuditFilters> = {
  action: boundedText,
  actorKeyId: keyIdFilter,
  targetType: boundedText,
  targetId: boundedText,
  outcome: choiceFilter(AUDIT_OUTCOMES),
  from: instantFilter,
  to: instantFilter,
};

/** Shown per page: a screenful an auditor can scan, well under the API's 1000. */
export const AUDIT_PAGE_SIZE = 50;

export function auditQuery(filters: Partial<AuditFilters>, nextToken: string | undefined): ListAuditEventsParams {
  return { ...filters, maxResults: AUDIT_PAGE_SIZE, ...(nextToken ? { nextToken } : {}) };
}
