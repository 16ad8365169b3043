// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Import rules for one layer's source (tests excluded): `patterns` name the
 * packages it may not import, and no relative path may walk into the folders
 * named in `away` (other layers, apps, tests).
 */
function layer(folder, why, patterns, away) {
  return [
    {
      files: [`${folder}/**/*.ts`],
      ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              ...patterns,
              {
                regex: `^(\\.\\./)+(.*/)?(${away.join('|')})(/|$)`,
                message: `${why} (a relative import leaves ${folder})`,
              },
            ],
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.run/', 'coverage/', 'eslint.config.mjs', 'jest.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  // The layers point one way: domain <- contracts <- platform <- apps, and
  // the apps never import each other. Tests are exempt: they may reach across.
  // Domain errors become HTTP answers in platform (ProblemDetailsFilter), so
  // platform may import the domain; the domain knows nothing of HTTP.
  ...layer(
    'libs/domain/src',
    'libs/domain imports nothing: it is pure, framework-free code.',
    [{ regex: '^(?!\\.)', message: 'libs/domain imports no package, not even another layer.' }],
    ['contracts', 'platform', 'apps', 'test', 'scripts'],
  ),
  ...layer(
    'libs/contracts/src',
    'libs/contracts imports only zod.',
    [{ regex: '^(?!\\.|zod$)', message: 'libs/contracts imports only zod.' }],
    ['domain', 'platform', 'apps', 'test', 'scripts'],
  ),
  ...layer(
    'libs/platform/src',
    'libs/platform imports no app.',
    [{ regex: '(^|/)apps/', message: 'libs/platform imports no app.' }],
    ['apps', 'test', 'scripts'],
  ),
  ...layer(
    'apps/command/src',
    'The apps never import each other.',
    [{ regex: '(^|/)apps/query(/|$)', message: 'The command app never imports the query app.' }],
    ['query', 'console', 'test', 'scripts'],
  ),
  ...layer(
    'apps/query/src',
    'The apps never import each other.',
    [{ regex: '(^|/)apps/command(/|$)', message: 'The query app never imports the command app.' }],
    ['command', 'console', 'test', 'scripts'],
  ),
  // The console is a page in the browser: it knows the system only through its HTTP APIs.
  ...layer(
    'apps/console/src',
    'The console talks to the system over HTTP only.',
    [{ regex: '^(?!\\.)', message: 'apps/console imports no package: it is plain TypeScript for the browser.' }],
    ['command', 'query', 'libs', 'test', 'scripts'],
  ),
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      // expect.any() and friends are typed any by jest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  prettier,
);
