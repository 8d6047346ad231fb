export * from './delivery-worker.js';
export * from './test-database.js';
export * from './test-redis.js';
export * from './wait-for.js';
export * from './managed-process.js';
export * from './postgres-server.js';
export * from './redis-server.js';
export * from './worker-process.js';
