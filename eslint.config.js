// Lint configuration: typescript-eslint's strict rules over everything we write.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'api-reference/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        clearImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      // Handle subclasses re-declare the base constructor to make it public and
      // to hide its internal-only parameter; that is not a useless constructor.
      '@typescript-eslint/no-useless-constructor': 'off',
    },
  },
  {
    // The trace page's browser script: three classic scripts sharing one
    // scope in the page (src/tools/trace-page.ts), type-checked against the
    // DOM by src/tools/page/tsconfig.json, which also checks the names they
    // share, so no-undef has nothing to add.
    files: ['src/tools/page/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', window: 'readonly' },
    },
    rules: { 'no-undef': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
);
