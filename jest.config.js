/** ESM throughout: ts-jest compiles the TypeScript sources and tests as ES modules. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1'
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.check.json' }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // Stryker's sandboxes hold a copy of the repository while `npm run mutate` runs.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.stryker-tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  // The build stand-ins and the entry point run only in the bundle, which the dist tests cover.
  collectCoverageFrom: ['src/**/*.ts', '!src/stubs/**', '!src/index.ts'],
  // At the level reached (statements 100 %, branches 98.9 %, functions 100 %, lines 100 %), less a
  // margin for paths that other OSes skip: a drop below these fails `npm test -- --coverage` in CI.
  coverageThreshold: {
    global: { statements: 99, branches: 97, functions: 99, lines: 99 }
  },
  coverageReporters: ['text-summary', 'lcov'],
  testTimeout: 30000
}
