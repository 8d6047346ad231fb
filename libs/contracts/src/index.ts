export * from './errors/api-error.js';
export * from './queues/queues.js';
export * from './sends/send-status.js';
