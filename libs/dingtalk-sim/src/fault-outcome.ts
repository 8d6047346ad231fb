import { type FaultOutcome } from './fault-policy.js';
import { type SimResult } from './http-io.js';

/** Turns a fault decision into the handler's answer: errors are thrown like any DingTalk error, hangs returned. */
export function answerFault(outcome: FaultOutcome): SimResult {
  if (outcome.kind === 'hang') return { hang: true };
  throw outcome.error;
}
