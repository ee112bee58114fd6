/** The integration suite: drives a running platform (deployed stage or local) through its public surface. */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  testTimeout: 30_000,
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: '<rootDir>/../reports/integ', outputName: 'integration-tests.xml' }],
  ],
};
