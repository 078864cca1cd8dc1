/** Test tiers by file name: *.unit.test.ts, *.int.test.ts, *.e2e.test.ts; `npm test` runs all. */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  // jose and oauth4webapi ship ES modules only; ts-jest turns them into CommonJS for jest's module loader.
  transformIgnorePatterns: ['/node_modules/(?!(jose|oauth4webapi)/)'],
};
module.exports = {
  // Says once, loudly, when the browser tests will be skipped.
  globalSetup: '<rootDir>/test/testing/browserNotice.mjs',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.unit.test.ts'] },
    { ...shared, displayName: 'int', testMatch: ['<rootDir>/test/**/*.int.test.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
    // The service's end-to-end suites again, on the EventStoreDB adapter through the protocol stand-in.
    {
      ...shared,
      displayName: 'e2e-standin',
      testMatch: ['<rootDir>/test/e2e/*.e2e.test.ts'],
      testPathIgnorePatterns: ['/(process|storeBinding)\\.e2e\\.test\\.ts$'],
      setupFiles: ['<rootDir>/test/testing/useStandin.ts'],
    },
  ],
};
