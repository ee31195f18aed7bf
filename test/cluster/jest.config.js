/**
 * The cluster suites: a real control plane, the real CSI sidecars and Helm against the driver (npm run test:cluster).
 * Run apart from the root suites (scripts/test.sh), one file at a time: they share one machine-wide cluster port range
 * and loop devices.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // Everything the suites send goes to 127.0.0.1 only (the driver child processes load the same guard).
  setupFiles: ['<rootDir>/driver/test/helpers/loopback-only.js'],
  testTimeout: 5 * 60_000,
  maxWorkers: 1,
};
