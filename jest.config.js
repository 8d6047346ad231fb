// Every project's jest config; `npm run test:jest` runs them all, `-- --selectProjects api` one of them.
export default {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js'],
};
