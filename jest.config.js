// Three suites: unit (pure code, no I/O), integration (real Kafka and MongoDB-wire
// server over TCP) and e2e (the running stack through the nginx gateway).
/** @type {import('jest').Config} */
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@of/(domain|contracts|platform)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/.run/'],
};

module.exports = {
  // Integration and e2e tests wait for real servers; unit tests finish in milliseconds anyway.
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/integration.global-setup.ts',
      globalTeardown: '<rootDir>/test/support/integration.global-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/e2e.global-setup.ts',
    },
  ],
};
