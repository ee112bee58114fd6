/**
 * The integration suite: drives a running platform through its public surface. Against the
 * deployed stage whose outputs the environment holds (the pipeline), or else against the local
 * platform, which the global setup starts and the global teardown stops.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/global-setup.ts',
  globalTeardown: '<rootDir>/global-teardown.ts',
  // Each file creates its own test users and runs its tests in order; files run side by side.
  // Tests that wait for an eventually consistent result (search index, live aggregates, the lake)
  // set their own, longer timeouts.
  testTimeout: 60_000,
  reporters: [
    'default',
    [
      'jest-junit',
      {
        outputDirectory: '<rootDir>/../reports/integ',
        outputName: 'integration-tests.xml',
        // One suite per file, named by its path (such as e2e/shop-journey.test.ts).
        suiteNameTemplate: '{filepath}',
      },
    ],
  ],
};
