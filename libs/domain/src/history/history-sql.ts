import { createHash } from 'node:crypto';
import { type HistoryPage, type MsgKey, type RecipientStatus, SendStatus } from '@dingrelay/contracts';
import { sentThroughCurrentConfiguration } from '../chat-configurations/send-configuration.sql.js';
import { InvalidInputError } from '../errors/domain.error.js';
import { decodePageToken, encodePageToken } from '../pagination/page-token.js';

/** Filters both history views share; times are ISO-8601 with an offset, compared by Postgres at full precision. */
export interface HistoryFilterInput {
  /**
   * The configurations the caller may read (a sender key's scope): only sends through them are seen, whatever the
   * other filters say, and only through the configuration that has each name now (not one deleted before it was
   * created under that name). Null or absent: every configuration (admins, auditors).
   */
  readableConfigurations?: readonly string[] | null;
  /** Sends made under this name, through whichever configuration had it (a deleted one's too; see the scope above). */
  chatConfiguration?: string;
  robotCode?: string;
  msgKey?: MsgKey;
  createdFrom?: string;
  createdTo?: string;
}

export interface SendHistoryFilterInput extends HistoryFilterInput {
  status?: SendStatus;
  requester?: string;
  idempotencyKey?: string;
}

export interface RecipientHistoryFilterInput extends HistoryFilterInput {
  userId?: string;
  status?: RecipientStatus;
}

/** Positional parameters collected while a WHERE clause is built. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Timestamps leave Postgres as text: exact (a JS Date drops microseconds) and cheap to stream. */
export function isoMillis(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The keyset position: microseconds kept, so rows created within one millisecond are never skipped. */
export function isoMicros(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Whether any batch of the send has been tried: what tells `delivering` from `accepted` (as GET /v1/sends/:id does). */
const ATTEMPTED = `EXISTS (SELECT 1 FROM batches b WHERE b.send_id = s.id AND b.attempts > 0)`;

/** A send's status from its columns, the same derivation as GET /v1/sends/:id (completed_at is set when none is pending). */
export const SEND_STATUS_SQL = `CASE
    WHEN s.completed_at IS NOT NULL THEN CASE WHEN s.cancelled_at IS NULL THEN 'completed' ELSE 'cancelled' END
    WHEN ${ATTEMPTED} THEN 'delivering' ELSE 'accepted' END`;

const SEND_STATUS_CONDITION: Record<SendStatus, string> = {
  [SendStatus.Completed]: `s.completed_at IS NOT NULL AND s.cancelled_at IS NULL`,
  [SendStatus.Cancelled]: `s.completed_at IS NOT NULL AND s.cancelled_at IS NOT NULL`,
  [SendStatus.Delivering]: `s.completed_at IS NULL AND ${ATTEMPTED}`,
  [SendStatus.Accepted]: `s.completed_at IS NULL AND NOT ${ATTEMPTED}`,
};

/**
 * A sender scope as a condition on the send `s`: through a configuration named in it, and the configuration that has
 * that name now. The name comes first so the (chat_configuration, created_at, id) index still serves the scan.
 */
export function readableCondition(readable: readonly string[], params: SqlParams): string {
  return `s.chat_configuration = ANY(${params.add(readable)}::text[]) AND ${sentThroughCurrentConfiguration('s')}`;
}

function checkRange(filter: HistoryFilterInput): void {
  if (filter.createdFrom && filter.createdTo && Date.parse(filter.createdFrom) > Date.parse(filter.createdTo)) {
    throw new InvalidInputError('createdFrom', 'must not be after createdTo');
  }
}

/** Conditions on the send `s` and its creation time column `createdAt` (the recipients' own copy when paging them). */
function commonConditions(filter: HistoryFilterInput, params: SqlParams, createdAt: string): string[] {
  checkRange(filter);
  const where: string[] = [];
  if (filter.readableConfigurations) where.push(readableCondition(filter.readableConfigurations, params));
  if (filter.chatConfiguration !== undefined) where.push(`s.chat_configuration = ${params.add(filter.chatConfiguration)}`);
  if (filter.robotCode !== undefined) where.push(`s.robot_code = ${params.add(filter.robotCode)}`);
  if (filter.msgKey !== undefined) where.push(`s.msg_key = ${params.add(filter.msgKey)}`);
  if (filter.createdFrom !== undefined) where.push(`${createdAt} >= ${params.add(filter.createdFrom)}::timestamptz`);
  if (filter.createdTo !== undefined) where.push(`${createdAt} < ${params.add(filter.createdTo)}::timestamptz`);
  return where;
}

export function sendConditions(filter: SendHistoryFilterInput, params: SqlParams): string[] {
  const where = commonConditions(filter, params, 's.created_at');
  if (filter.status !== undefined) where.push(SEND_STATUS_CONDITION[filter.status]);
  if (filter.requester !== undefined) where.push(`s.requested_by = ${params.add(filter.requester)}`);
  if (filter.idempotencyKey !== undefined) where.push(`s.idempotency_key = ${params.add(filter.idempotencyKey)}`);
  return where;
}

export function recipientConditions(filter: RecipientHistoryFilterInput, params: SqlParams): string[] {
  // A recipient row is written in its send's transaction, so its created_at is the send's: filtering on it lets
  // the (user_id, created_at, id) index serve a user's time range.
  const where = commonConditions(filter, params, 'r.created_at');
  if (filter.userId !== undefined) where.push(`r.user_id = ${params.add(filter.userId)}`);
  if (filter.status !== undefined) where.push(`r.status = ${params.add(filter.status)}`);
  return where;
}

/**
 * The same filter for reading recipients send by send (everyone's export): conditions on the send `s`, and on its
 * recipients `r`. The time range is on both: a recipient's created_at is its send's (both are the transaction's
 * now()), and on the send's own column it lets the sends' (created_at, id) index start at the range, where on
 * r.created_at alone an old range was found only after walking every newer send's recipients.
 */
export function recipientConditionsBySend(
  filter: RecipientHistoryFilterInput,
  params: SqlParams,
): { send: string[]; recipient: string[] } {
  const send = commonConditions(filter, params, 's.created_at');
  const recipient: string[] = [];
  if (filter.createdFrom !== undefined) recipient.push(`r.created_at >= ${params.add(filter.createdFrom)}::timestamptz`);
  if (filter.createdTo !== undefined) recipient.push(`r.created_at < ${params.add(filter.createdTo)}::timestamptz`);
  if (filter.userId !== undefined) recipient.push(`r.user_id = ${params.add(filter.userId)}`);
  if (filter.status !== undefined) recipient.push(`r.status = ${params.add(filter.status)}`);
  return { send, recipient };
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

/**
 * Tokens are bound to the filters they were issued for (a short digest keeps them small): the same token against
 * other filters would resume at a position that means nothing there. A sender's scope counts as a filter, in any
 * order; none leaves the digest as it was before scopes existed, so tokens already handed out keep working.
 */
export function pageScope(kind: string, filter: HistoryFilterInput): string {
  const { readableConfigurations: readable, ...rest } = filter;
  const bound = { ...rest, ...(readable ? { readableConfigurations: [...new Set(readable)].sort() } : {}) };
  const canonical = JSON.stringify(Object.entries(bound).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return `${kind}:${createHash('sha256').update(canonical).digest('base64url').slice(0, 22)}`;
}

/** The (created_at, id) position a page continues after, checked so a forged token is a 400, not a SQL error. */
export function decodeKeyset(token: string, scope: string, id: 'uuid' | 'bigint'): { at: string; id: string } {
  const [at, rowId] = decodePageToken(token, scope, ['instant', id]);
  return { at, id: rowId };
}

export function encodeKeyset(scope: string, at: string, id: string): string {
  return encodePageToken(scope, [at, id]);
}

/** Keyset position columns, selected next to a view's and stripped before it is returned. */
export interface KeysetRow {
  keysetAt: string;
  keysetId: string;
}

/** One page from `maxResults + 1` rows: the extra row only tells whether another page follows. */
export function toPage<T>(rows: (T & KeysetRow)[], maxResults: number, scope: string): HistoryPage<T> {
  const page = rows.slice(0, maxResults);
  const last = page.at(-1);
  return {
    items: page.map(({ keysetAt: _at, keysetId: _id, ...item }) => item as T),
    nextToken: rows.length > maxResults && last ? encodeKeyset(scope, last.keysetAt, last.keysetId) : null,
  };
}
