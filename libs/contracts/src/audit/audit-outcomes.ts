/** How an audited action ended (a module without validation decorators, for the API client). */
export const AUDIT_OUTCOMES = ['succeeded', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
