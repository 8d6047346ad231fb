export * from './access-token.provider.js';
export * from './access-token.store.js';
export * from './dingtalk-api.error.js';
export * from './dingtalk.client.js';
export * from './dingtalk.types.js';
export type { ConnectionStats } from './http-transport.js';
export * from './retry-class.js';
export * from './callbacks/callback-sign.js';
export * from './callbacks/event-crypto.js';
