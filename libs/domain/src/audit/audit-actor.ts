/** Who changed something: an API key (from the auth guard) or the system itself (scheduled jobs, maintenance). */
export interface AuditActor {
  apiKeyId: string | null;
  name: string;
  role: string | null;
  requestId: string | null;
}

/** The actor of work nobody asked for in a request: `job` names it, e.g. `retention` → `system:retention`. */
export function systemActor(job: string): AuditActor {
  return { apiKeyId: null, name: `system:${job}`, role: null, requestId: null };
}
