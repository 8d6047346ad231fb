import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Architecture in lint: apps -> domain -> dingtalk-client -> contracts; the simulator stands apart;
// published libs (scope:public) depend only on published libs. Test files may also use the testing kit.
const productionConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:client', 'type:contracts'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:client', 'type:contracts'] },
  { sourceTag: 'type:sim', onlyDependOnLibsWithTags: ['type:sim'] },
  { sourceTag: 'type:sim-app', onlyDependOnLibsWithTags: ['type:sim'] },
  // The CLI talks to dingrelay over HTTP only, through the contracts' typed client.
  { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:client', 'type:contracts', 'type:sim'] },
  { sourceTag: 'scope:public', onlyDependOnLibsWithTags: ['scope:public'] },
];
// Tests (never published) may also use the simulator and the testing kit.
const testConstraints = productionConstraints.map((c) => ({
  ...c,
  onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing', 'type:sim'],
}));
const boundaries = (depConstraints) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      banTransitiveDependencies: false,
      depConstraints,
      // The testing kit builds on domain, and domain's own tests use the kit: a test-only loop, not a design cycle.
      ignoredCircularDependencies: [['domain', 'testing']],
    },
  ],
});
const testFiles = ['**/*.spec.ts', '**/test/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    // Constructor-injected classes are runtime values under decorator metadata; the parser must know, or
    // consistent-type-imports would turn them into type-only imports and break Nest's dependency injection.
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      ...boundaries(productionConstraints),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'error',
    },
  },
  { files: testFiles, rules: { ...boundaries(testConstraints), 'no-console': 'off' } },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
