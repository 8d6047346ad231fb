/** Injection token for InboundSettings. */
export const INBOUND_SETTINGS = Symbol('INBOUND_SETTINGS');

export interface InboundSettings {
  /**
   * Largest accepted |now − timestamp| of a signed callback (CALLBACK_MAX_SKEW_MS). DingTalk allows an hour (spec
   * §9.2); dingrelay defaults to 5 minutes: the window is how long a captured signature is worth anything, and how long
   * the replay cache must remember it.
   */
  callbackMaxSkewMs: number;
  /** Longest `text.content` of a robot message, in characters (CALLBACK_MAX_TEXT_LENGTH). */
  callbackMaxTextLength: number;
}

export const DEFAULT_INBOUND_SETTINGS: InboundSettings = { callbackMaxSkewMs: 5 * 60_000, callbackMaxTextLength: 20_000 };
