import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import jest from 'eslint-plugin-jest'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'reports/', '.stryker-tmp/'] },
  js.configs.recommended,
  // Type-aware for TypeScript and JavaScript alike: the JS in scripts/, tools/ and bench/ is
  // type-checked by tsc (checkJs, JSDoc types), so the promise and type rules apply there too.
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Each directory's tsconfig.json (all extending tsconfig.check.json) owns its files; the
        // root config files and the ambient declarations fall back to the default project.
        projectService: { allowDefaultProject: ['*.js', 'types/*.d.ts'] },
        tsconfigRootDir: import.meta.dirname
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Numbers in messages are the norm here (attempts, seconds, status codes).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }
      ],
      // `async` without `await` is how this code implements promise-returning interfaces
      // (oidc-provider's adapter and hooks, test fakes of sleep and fetch).
      '@typescript-eslint/require-await': 'off'
    }
  },
  {
    // JavaScript is typed with JSDoc, and a JSDoc cast `/** @type {T} */ (expr)` lives on the
    // parentheses, which ESTree drops: these rules would see `any` in every cast JSON or YAML
    // parse (and in oidc-provider, which ships no types). tsc's checkJs still checks them.
    files: ['**/*.js'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off'
    }
  },
  {
    // The build stand-ins mirror the shape of the classes they replace.
    files: ['src/stubs/**'],
    rules: { '@typescript-eslint/no-extraneous-class': 'off' }
  },
  {
    files: ['__tests__/**'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      // Helpers named expect… (expectNeverLeaked, expectLogtoError, …) assert too.
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*'] }]
    }
  }
)
