import { DingTalkError } from './dingtalk-error.js';
import { isPlainObject, type SimResult } from './http-io.js';
import { type ReadStatusCallRecord, type RecallCallRecord } from './message-state-store.js';
import { type SimulatorState } from './simulator-state.js';

/** Test controls over delivered messages, shared by the simulator handle and the `/__sim/messages/*` endpoints. */
export function markMessageRead(state: SimulatorState, processQueryKey: string, userIds?: readonly string[]): void {
  const message = state.ledger.call(processQueryKey);
  if (!message) throw unknownMessage(processQueryKey);
  state.messages.markRead(processQueryKey, userIds ?? message.delivered, state.now());
}

export function messageControls(state: SimulatorState): {
  ageMessage(processQueryKey: string, ms: number): void;
  failRecall(processQueryKey: string, reason: string): void;
  recalls(): RecallCallRecord[];
  readStatusCalls(): ReadStatusCallRecord[];
} {
  return {
    ageMessage: (processQueryKey, ms) => {
      if (!state.ledger.call(processQueryKey)) throw unknownMessage(processQueryKey);
      state.messages.age(processQueryKey, ms);
    },
    failRecall: (processQueryKey, reason) => state.messages.failRecall(processQueryKey, reason),
    recalls: () => state.messages.recalls(),
    readStatusCalls: () => state.messages.readStatusCalls(),
  };
}

/**
 * `POST /__sim/messages/read {processQueryKey, userIds?}`, `POST /__sim/messages/age {processQueryKey, ms}`,
 * `POST /__sim/messages/recall-failure {processQueryKey, reason}`, `GET /__sim/messages/recalls`,
 * `GET /__sim/messages/read-status-calls`.
 */
export function handleMessageAdmin(route: string, body: unknown, state: SimulatorState): SimResult {
  const controls = messageControls(state);
  switch (route) {
    case 'GET /messages/recalls':
      return { status: 200, body: { recalls: controls.recalls() } };
    case 'GET /messages/read-status-calls':
      return { status: 200, body: { calls: controls.readStatusCalls() } };
  }
  if (!isPlainObject(body) || typeof body.processQueryKey !== 'string' || body.processQueryKey === '') {
    throw badRequest('processQueryKey (string) is required');
  }
  const key = body.processQueryKey;
  switch (route) {
    case 'POST /messages/read': {
      const { userIds } = body;
      if (userIds !== undefined && (!Array.isArray(userIds) || userIds.some((u) => typeof u !== 'string'))) {
        throw badRequest('userIds must be an array of strings');
      }
      markMessageRead(state, key, userIds as string[] | undefined);
      return { status: 200, body: { status: 'ok' } };
    }
    case 'POST /messages/age': {
      if (typeof body.ms !== 'number' || !Number.isFinite(body.ms)) throw badRequest('ms (number) is required');
      controls.ageMessage(key, body.ms);
      return { status: 200, body: { status: 'ok' } };
    }
    default: {
      if (typeof body.reason !== 'string' || body.reason === '') throw badRequest('reason (string) is required');
      controls.failRecall(key, body.reason);
      return { status: 200, body: { status: 'ok' } };
    }
  }
}

function unknownMessage(processQueryKey: string): DingTalkError {
  return new DingTalkError(404, 'sim.notFound', `no accepted call with processQueryKey ${processQueryKey}`);
}

function badRequest(message: string): DingTalkError {
  return new DingTalkError(400, 'sim.invalidRequest', message);
}
