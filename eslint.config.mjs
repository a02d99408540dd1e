// ESLint with typescript-eslint; part of `npm test`. Also the layering of src/ as rules: the
// core (accounts, auth, mail, diagnostics) never imports `vscode`, and mail never reaches up
// into diagnostics.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NO_VSCODE = {
  name: 'vscode',
  message: 'The core (src/accounts, auth, mail, diagnostics) runs without VS Code: take what you need through a small interface that src/ui implements.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', '.sandbox/**', 'test-results/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // Type-aware rules: each file is checked in the program of its nearest tsconfig.json
    // (src/tsconfig.json for the product, ./tsconfig.json for the tests).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/accounts/**/*.ts', 'src/auth/**/*.ts', 'src/diagnostics/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [NO_VSCODE] }] },
  },
  {
    files: ['src/mail/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [NO_VSCODE],
        patterns: [{
          group: ['**/diagnostics', '**/diagnostics/**'],
          message: 'src/mail is below src/diagnostics: diagnostics may import mail, never the other way. Move what both need down (src/mail or src/).',
        }],
      }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
