/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  // @middy/core ships ES modules only, so it is compiled like our own sources.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
};

module.exports = {
  testTimeout: 30000,
  maxWorkers: 2,
  projects: [
    {
      ...common,
      // Pure logic and self-contained components (our emulators start a server per file; Google's, where
      // installed, start once for the run).
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$'],
      globalSetup: '<rootDir>/test/support/google-emulators-setup.ts',
      globalTeardown: '<rootDir>/test/support/google-emulators-teardown.ts',
    },
    {
      ...common,
      // Calls the functions over HTTP against the local cloud that the global setup starts once.
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
