import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'bench-results/', '.data/', 'coverage/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      // Deep relative imports hide where a module lives; package.json `imports` aliases say it.
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*'], message: 'Use a #alias from package.json imports.' }] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // With noUncheckedIndexedAccess, `!` after a checked lookup is the honest way to say it.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // What a function bundles: zod's named `z` is one object holding all of zod (every locale too), which no
    // bundler can tree-shake, about 280 KB more in every function than `import * as z from 'zod'`.
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'events/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier[imported.name='z'][importKind='value']",
          message: "Use `import * as z from 'zod'`: the named `z` cannot be tree-shaken.",
        },
      ],
    },
  },
);
