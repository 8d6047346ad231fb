import { createHash } from 'node:crypto';

/**
 * Identity of "the same message" as a user would see it: robot, template and template parameters. msgParam is
 * canonicalised (keys sorted) so a sender that re-serialises a retried message differently is still caught as
 * delivering a duplicate. Exported so tests in other projects can compute the fingerprint they expect.
 */
export function messageFingerprint(robotCode: string, msgKey: string, msgParam: unknown): string {
  return createHash('sha256').update(`${robotCode}\n${msgKey}\n${canonicalJson(msgParam)}`).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
