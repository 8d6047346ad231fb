/**
 * DingTalk's published test vectors for the callback crypto (spec §9.2 and §9.4, both VERIFIED against this
 * library): public sample inputs, not credentials. Exported so that every test of a callback receiver, ours or a
 * consumer's, checks against the same values.
 */
export const CALLBACK_TEST_VECTORS = {
  /** §9.2 HTTP-mode sign: HmacSHA256(timestamp + "\n" + appSecret), base64. */
  sign: { timestamp: '1577262236757', appSecret: 'this is a secret', sign: 'DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=' },
  /** §9.4 event push; its ownerKey is the receiver's key (the suite's, or the app's). */
  event: {
    token: '123456',
    aesKey: '4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij',
    ownerKey: 'suite4xxxxxxxxxxxxxxx',
    timestamp: '1445827045067',
    nonce: 'nEXhMP4r',
    encrypt:
      '1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==',
    signature: '5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0',
    plaintext: '{"EventType":"check_create_suite_url","Random":"LPIdSnlF","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}',
  },
} as const;
