/** Unit and infrastructure tests: everything but the integration suite, which needs a running platform. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/integ-tests/', '/cdk.out/'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // Synthesizing the whole app (three stages and the pipeline) takes a few seconds per test file.
  testTimeout: 120_000,
  reporters: ['default', ['jest-junit', { outputDirectory: 'reports', outputName: 'unit-tests.xml' }]],
};
