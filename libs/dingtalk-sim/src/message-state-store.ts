import { createHash } from 'node:crypto';

/** One batchRecall call the simulator answered 200, as tests inspect it. */
export interface RecallCallRecord {
  appKey: string;
  robotCode: string;
  processQueryKeys: string[];
  successResult: string[];
  failedResult: Record<string, string>;
  at: string;
}

/** One readStatus call that reached a known message (answered 200 or `processQueryKey.expireTime`). */
export interface ReadStatusCallRecord {
  processQueryKey: string;
  /** `SUCCESS`/`SUCESS`/`RECALLED`, or the error code answered. */
  outcome: string;
  readUsers: number;
  at: string;
}

interface MessageState {
  /** userId → epoch ms the user read, for users a test marked read. */
  marked: Map<string, number>;
  /** Extra age a test gave this message (ms). */
  agedMs: number;
  recalledAtMs: number | undefined;
  recallFailure: string | undefined;
}

/**
 * What happened to delivered messages after batchSend: who a test marked read, messages aged on purpose, recalls
 * and recall failures set at runtime, and a log of readStatus and batchRecall calls. Keyed by processQueryKey; only
 * touched messages get an entry, so batchSend's hot path pays nothing.
 */
export class MessageStateStore {
  private readonly messages = new Map<string, MessageState>();
  private recallLog: RecallCallRecord[] = [];
  private readLog: ReadStatusCallRecord[] = [];

  get(processQueryKey: string): MessageState | undefined {
    return this.messages.get(processQueryKey);
  }

  private entry(processQueryKey: string): MessageState {
    let state = this.messages.get(processQueryKey);
    if (!state) {
      state = { marked: new Map(), agedMs: 0, recalledAtMs: undefined, recallFailure: undefined };
      this.messages.set(processQueryKey, state);
    }
    return state;
  }

  markRead(processQueryKey: string, userIds: readonly string[], atMs: number): void {
    const state = this.entry(processQueryKey);
    for (const userId of userIds) if (!state.marked.has(userId)) state.marked.set(userId, atMs);
  }

  age(processQueryKey: string, ms: number): void {
    this.entry(processQueryKey).agedMs += ms;
  }

  failRecall(processQueryKey: string, reason: string): void {
    this.entry(processQueryKey).recallFailure = reason;
  }

  recall(processQueryKey: string, atMs: number): void {
    const state = this.entry(processQueryKey);
    state.recalledAtMs ??= atMs;
  }

  logRecall(record: RecallCallRecord): void {
    this.recallLog.push(record);
  }

  logReadStatus(record: ReadStatusCallRecord): void {
    this.readLog.push(record);
  }

  recalls(): RecallCallRecord[] {
    return this.recallLog.map((r) => ({ ...r, processQueryKeys: [...r.processQueryKeys], successResult: [...r.successResult], failedResult: { ...r.failedResult } }));
  }

  readStatusCalls(): ReadStatusCallRecord[] {
    return this.readLog.map((r) => ({ ...r }));
  }

  clear(): void {
    this.messages.clear();
    this.recallLog = [];
    this.readLog = [];
  }
}

/** A stable draw in [0, 1) per (message, user): the same users read a message however often it is queried. */
export function stableShare(processQueryKey: string, userId: string): number {
  return createHash('sha256').update(processQueryKey).update('\u0000').update(userId).digest().readUInt32BE(0) / 2 ** 32;
}
