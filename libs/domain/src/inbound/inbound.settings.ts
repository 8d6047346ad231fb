/** Injection token for InboundSettings. */
export const INBOUND_SETTINGS = Symbol('INBOUND_SETTINGS');

export interface InboundSettings {
  /** Largest accepted |now − timestamp| of a signed callback (spec §9.2: one hour). */
  callbackMaxSkewMs: number;
}
