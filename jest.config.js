/**
 * Unit and infrastructure tests: everything but the integration suite, which needs a running
 * platform. Two projects: Node code (services, infra, local, the web build) and the storefront's
 * components (web/src), which run in jsdom.
 */
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', tsx: syntax === 'tsx' },
      ...(syntax === 'tsx' && { transform: { react: { runtime: 'automatic' } } }),
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  // Synthesizing the whole app (three stages and the pipeline) takes a few seconds per test file.
  testTimeout: 120_000,
  // One DynamoDB Local (Java 17+) for the whole run; each test file creates its own tables.
  globalSetup: '<rootDir>/services/testing/global-setup.ts',
  globalTeardown: '<rootDir>/services/testing/global-teardown.ts',
  reporters: ['default', ['jest-junit', { outputDirectory: 'reports', outputName: 'unit-tests.xml' }]],
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      testPathIgnorePatterns: ['/node_modules/', '/integ-tests/', '/cdk.out/', '/web/src/'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.[tj]s$': swc('ts') },
      // @middy/core is published as ES modules only: compile it to CommonJS like our code.
      transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
      setupFiles: ['<rootDir>/services/testing/test-environment.ts'],
    },
    {
      displayName: 'web',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/web/src'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.tsx?$': swc('tsx'), '^.+\\.js$': swc('ts') },
      setupFilesAfterEnv: ['<rootDir>/web/src/testing/setup-tests.ts'],
      // Vite bundles the stylesheets; components under test need none.
      moduleNameMapper: { '\\.css$': '<rootDir>/web/src/testing/no-styles.ts' },
    },
  ],
};
