export const AUDIT_CHAIN_SETTINGS = Symbol('AUDIT_CHAIN_SETTINGS');

export interface AuditChainSettings {
  /** AUDIT_DIGEST_KEY: signs published digests, and checks the signature of one given to verify. */
  digestKey?: string;
  /** Events read per keyset page while verifying. */
  verifyPageSize?: number;
  /** Publish a signed digest periodically (the worker); needs `digestKey`. */
  publish?: {
    intervalMs: number;
    /** Appended to, one JSON document per line. */
    file?: string;
    /** POSTed to as JSON. */
    url?: string;
  };
}
