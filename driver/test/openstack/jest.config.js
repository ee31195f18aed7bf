/**
 * Opt-in suite against a real OpenStack (test/openstack/harness): `npm run test:openstack`.
 * Kept out of the default `npx jest` run (driver/jest.config.js ignores test/openstack): it needs root, the
 * Debian OpenStack packages and minutes of wall time.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/openstack'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/helpers/loopback-only.js'],
  // Services are started once for all files (and stopped at the end only if started here).
  globalSetup: '<rootDir>/test/openstack/global-setup.ts',
  globalTeardown: '<rootDir>/test/openstack/global-teardown.ts',
  testTimeout: 600000,
  maxWorkers: 1,
};
