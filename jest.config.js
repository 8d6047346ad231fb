// Every project's jest config; `npm run test:jest` runs them all, `-- --selectProjects api` one of them.
export default {
  // Multi-project runs ignore testTimeout inside project configs; e2e tests wait on real queues and services.
  testTimeout: 30_000,
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js', '<rootDir>/tools/*/jest.config.js'],
};
