export * from './delivery-worker.js';
export * from './test-database.js';
export * from './test-redis.js';
export * from './wait-for.js';
