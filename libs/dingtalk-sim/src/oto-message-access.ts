import { type LedgerCall } from './ledger.js';
import { type SimulatorState } from './simulator-state.js';

/**
 * How old a message is as readStatus and batchRecall judge it: the clock, plus the configured offset, plus any age a
 * test gave this message.
 */
export function messageAgeMs(state: SimulatorState, call: LedgerCall): number {
  const aged = state.messages.get(call.processQueryKey)?.agedMs ?? 0;
  return state.now() + state.settings.readRecall.clockOffsetMs + aged - Date.parse(call.acceptedAt);
}
