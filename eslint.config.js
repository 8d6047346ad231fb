import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
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
  // The console is a browser client of the public API: the contracts' typed client and nothing else of ours.
  { sourceTag: 'type:console', onlyDependOnLibsWithTags: ['type:contracts'] },
  // Its browser tests drive the built stack from outside, with the testing kit.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing', 'type:sim'] },
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
      // The testing kit builds on domain and contracts, whose own tests use the kit (domain's use-cases; the contracts'
      // API client against the real stack): test-only loops, not design cycles.
      ignoredCircularDependencies: [
        ['domain', 'testing'],
        ['contracts', 'testing'],
      ],
    },
  ],
});
const testFiles = ['**/*.spec.ts', '**/*.spec.tsx', '**/test/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
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
    files: ['apps/console/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { parserOptions: { emitDecoratorMetadata: false, experimentalDecorators: false } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The console talks to the API only through DingrelayClient (apps/console/src/api/console-client.ts).
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Use the DingrelayClient from useSession().client' }],
      // Strings only through i18n: the locale files hold every text the user reads, in both languages.
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
