/** Unit and infrastructure tests: everything but the integration suite, which needs a running platform. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/integ-tests/', '/cdk.out/'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.[tj]s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // @middy/core is published as ES modules only: compile it to CommonJS like our code.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  // Synthesizing the whole app (three stages and the pipeline) takes a few seconds per test file.
  testTimeout: 120_000,
  // One DynamoDB Local (Java 17+) for the whole run; each test file creates its own tables.
  globalSetup: '<rootDir>/services/testing/global-setup.ts',
  globalTeardown: '<rootDir>/services/testing/global-teardown.ts',
  setupFiles: ['<rootDir>/services/testing/test-environment.ts'],
  reporters: ['default', ['jest-junit', { outputDirectory: 'reports', outputName: 'unit-tests.xml' }]],
};
