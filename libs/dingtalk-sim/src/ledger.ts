/**
 * What DingTalk "delivered": every (user, message) pair of every accepted batchSend, indexed by user,
 * processQueryKey and fingerprint so tests can assert who received what and how many times, including
 * duplicates (the same user receiving the same fingerprint more than once), without scanning.
 */

/** One accepted batchSend call and how each recipient was classified. */
export interface LedgerCall {
  processQueryKey: string;
  appKey: string;
  robotCode: string;
  msgKey: string;
  msgParam: Record<string, unknown>;
  fingerprint: string;
  acceptedAt: string;
  delivered: readonly string[];
  invalid: readonly string[];
  flowControlled: readonly string[];
  filtered: readonly string[];
}

/** One delivered (user, message) pair. `seq` increases by one per delivery in delivery order. */
export interface LedgerDelivery {
  seq: number;
  userId: string;
  appKey: string;
  robotCode: string;
  msgKey: string;
  msgParam: Record<string, unknown>;
  processQueryKey: string;
  fingerprint: string;
  deliveredAt: string;
}

export interface LedgerFilter {
  userId?: string;
  processQueryKey?: string;
  fingerprint?: string;
  msgKey?: string;
  robotCode?: string;
}

export interface LedgerPage {
  /** Matching deliveries in total, before offset/limit. */
  total: number;
  deliveries: LedgerDelivery[];
}

export interface LedgerDuplicate {
  userId: string;
  fingerprint: string;
  /** How many times this user received this message (≥ 2). */
  count: number;
  processQueryKeys: string[];
}

export interface LedgerSummary {
  deliveries: number;
  distinctUsers: number;
  /** Accepted batchSend calls (including ones that delivered to nobody). */
  calls: number;
  distinctMessages: number;
  /** (user, fingerprint) pairs received more than once. */
  duplicatePairs: number;
  /** Deliveries beyond the first of each (user, fingerprint) pair. */
  duplicateDeliveries: number;
}

export interface RecordCallInput {
  processQueryKey: string;
  appKey: string;
  robotCode: string;
  msgKey: string;
  msgParam: Record<string, unknown>;
  fingerprint: string;
  acceptedAtMs: number;
  delivered: readonly string[];
  invalid: readonly string[];
  flowControlled: readonly string[];
  filtered: readonly string[];
}

interface CallRecord extends RecordCallInput {
  /** seq of delivered[0]; delivered[i] has seq firstSeq + i. */
  firstSeq: number;
}

/**
 * A user's deliveries, oldest first. Most users get one message, so a lone call is stored bare (no per-user
 * allocation at all); the delivery's seq is recovered from the user's position in `call.delivered`.
 */
type UserDeliveries = CallRecord | CallRecord[];

/** Past this many deliveries a user's per-fingerprint counts are kept in a map instead of being rescanned. */
const SCAN_LIMIT = 8;

export class Ledger {
  private calls: CallRecord[] = [];
  private readonly byPqk = new Map<string, CallRecord>();
  private readonly byFingerprint = new Map<string, CallRecord[]>();
  private readonly byUser = new Map<string, UserDeliveries>();
  private readonly fpCountsByUser = new Map<string, Map<string, number>>();
  private duplicatePairList: Array<{ userId: string; fingerprint: string }> = [];
  private deliveryCount = 0;
  private duplicateDeliveryCount = 0;

  record(input: RecordCallInput): void {
    const call: CallRecord = { ...input, firstSeq: this.deliveryCount + 1 };
    this.calls.push(call);
    this.byPqk.set(call.processQueryKey, call);
    const sameMessage = this.byFingerprint.get(call.fingerprint);
    if (sameMessage) sameMessage.push(call);
    else this.byFingerprint.set(call.fingerprint, [call]);

    for (const userId of call.delivered) {
      const previous = this.byUser.get(userId);
      let times = 1;
      if (previous === undefined) this.byUser.set(userId, call);
      else {
        const list = Array.isArray(previous) ? previous : [previous];
        times = this.bumpFingerprint(userId, list, call.fingerprint);
        list.push(call);
        if (list !== previous) this.byUser.set(userId, list);
      }
      if (times >= 2) this.duplicateDeliveryCount++;
      if (times === 2) this.duplicatePairList.push({ userId, fingerprint: call.fingerprint });
    }
    this.deliveryCount += call.delivered.length;
  }

  /** Deliveries matching every given filter field, in delivery order, paged by offset/limit. */
  deliveries(filter: LedgerFilter = {}, page: { offset?: number; limit?: number } = {}): LedgerPage {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? Number.POSITIVE_INFINITY;
    const out: LedgerDelivery[] = [];
    let total = 0;
    for (const [call, index] of this.candidates(filter)) {
      const userId = call.delivered[index]!;
      if (filter.userId !== undefined && userId !== filter.userId) continue;
      if (filter.processQueryKey !== undefined && call.processQueryKey !== filter.processQueryKey) continue;
      if (filter.fingerprint !== undefined && call.fingerprint !== filter.fingerprint) continue;
      if (filter.msgKey !== undefined && call.msgKey !== filter.msgKey) continue;
      if (filter.robotCode !== undefined && call.robotCode !== filter.robotCode) continue;
      if (total >= offset && out.length < limit) out.push(toDelivery(call, index));
      total++;
    }
    return { total, deliveries: out };
  }

  /** How many messages a user received (any message, duplicates included). */
  countFor(userId: string): number {
    const calls = this.byUser.get(userId);
    if (calls === undefined) return 0;
    return Array.isArray(calls) ? calls.length : 1;
  }

  /** How many times a user received one particular message. */
  countOf(userId: string, fingerprint: string): number {
    const counts = this.fpCountsByUser.get(userId);
    if (counts) return counts.get(fingerprint) ?? 0;
    return this.callsOf(userId).reduce((n, call) => (call.fingerprint === fingerprint ? n + 1 : n), 0);
  }

  /** The accepted call behind a processQueryKey, with every recipient's classification. */
  call(processQueryKey: string): LedgerCall | undefined {
    const call = this.byPqk.get(processQueryKey);
    return call ? toCall(call) : undefined;
  }

  /** Every accepted call in order (including those that delivered to nobody). */
  allCalls(): LedgerCall[] {
    return this.calls.map(toCall);
  }

  duplicates(limit = Number.POSITIVE_INFINITY): LedgerDuplicate[] {
    return this.duplicatePairList.slice(0, limit).map(({ userId, fingerprint }) => {
      const calls = this.callsOf(userId).filter((call) => call.fingerprint === fingerprint);
      return { userId, fingerprint, count: calls.length, processQueryKeys: calls.map((call) => call.processQueryKey) };
    });
  }

  summary(): LedgerSummary {
    return {
      deliveries: this.deliveryCount,
      distinctUsers: this.byUser.size,
      calls: this.calls.length,
      distinctMessages: this.byFingerprint.size,
      duplicatePairs: this.duplicatePairList.length,
      duplicateDeliveries: this.duplicateDeliveryCount,
    };
  }

  get size(): number {
    return this.deliveryCount;
  }

  clear(): void {
    this.calls = [];
    this.byPqk.clear();
    this.byFingerprint.clear();
    this.byUser.clear();
    this.fpCountsByUser.clear();
    this.duplicatePairList = [];
    this.deliveryCount = 0;
    this.duplicateDeliveryCount = 0;
  }

  /** Picks the narrowest index for the filter; yields (call, index into call.delivered) in seq order. */
  private *candidates(filter: LedgerFilter): Generator<[CallRecord, number]> {
    if (filter.processQueryKey !== undefined) {
      const call = this.byPqk.get(filter.processQueryKey);
      if (call) for (let i = 0; i < call.delivered.length; i++) yield [call, i];
      return;
    }
    if (filter.userId !== undefined) {
      for (const call of this.callsOf(filter.userId)) yield [call, call.delivered.indexOf(filter.userId)];
      return;
    }
    const calls = filter.fingerprint !== undefined ? (this.byFingerprint.get(filter.fingerprint) ?? []) : this.calls;
    for (const call of calls) for (let i = 0; i < call.delivered.length; i++) yield [call, i];
  }

  private callsOf(userId: string): readonly CallRecord[] {
    const calls = this.byUser.get(userId);
    if (calls === undefined) return [];
    return Array.isArray(calls) ? calls : [calls];
  }

  /** How many times the user will have received `fp` once this delivery is counted (`earlier` excludes it). */
  private bumpFingerprint(userId: string, earlier: readonly CallRecord[], fp: string): number {
    let counts = this.fpCountsByUser.get(userId);
    if (!counts) {
      if (earlier.length < SCAN_LIMIT) {
        let n = 1;
        for (const call of earlier) if (call.fingerprint === fp) n++;
        return n;
      }
      counts = new Map();
      for (const call of earlier) counts.set(call.fingerprint, (counts.get(call.fingerprint) ?? 0) + 1);
      this.fpCountsByUser.set(userId, counts);
    }
    const n = (counts.get(fp) ?? 0) + 1;
    counts.set(fp, n);
    return n;
  }
}

function toDelivery(call: CallRecord, index: number): LedgerDelivery {
  return {
    seq: call.firstSeq + index,
    userId: call.delivered[index]!,
    appKey: call.appKey,
    robotCode: call.robotCode,
    msgKey: call.msgKey,
    msgParam: call.msgParam,
    processQueryKey: call.processQueryKey,
    fingerprint: call.fingerprint,
    deliveredAt: new Date(call.acceptedAtMs).toISOString(),
  };
}

function toCall(call: CallRecord): LedgerCall {
  return {
    processQueryKey: call.processQueryKey,
    appKey: call.appKey,
    robotCode: call.robotCode,
    msgKey: call.msgKey,
    msgParam: call.msgParam,
    fingerprint: call.fingerprint,
    acceptedAt: new Date(call.acceptedAtMs).toISOString(),
    delivered: [...call.delivered],
    invalid: [...call.invalid],
    flowControlled: [...call.flowControlled],
    filtered: [...call.filtered],
  };
}
