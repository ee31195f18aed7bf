/**
 * The cluster suites: a real control plane, the real CSI sidecars and Helm against the driver (npm run test:cluster).
 * Run apart from the root suites (scripts/test.sh), one file at a time: they share one machine-wide cluster port range
 * and loop devices. Two projects: `emulated` (the driver in front of the OpenStack emulator) and `openstack` (in
 * front of real Keystone, Cinder and Nova: the driver's real-OpenStack harness starts them once if they are not
 * running, and stops them at the end unless CSI_OS_KEEP=1). `--selectProjects emulated` runs one.
 * @type {import('jest').Config}
 */
const { resolve } = require('node:path');

const rootDir = resolve(__dirname, '../..');
const project = {
  rootDir,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // Everything the suites send goes to 127.0.0.1 only (the driver child processes load the same guard).
  setupFiles: ['<rootDir>/driver/test/helpers/loopback-only.js'],
};

module.exports = {
  rootDir,
  projects: [
    { ...project, displayName: 'emulated', testMatch: ['**/chart-on-cluster.test.ts'] },
    {
      ...project,
      displayName: 'openstack',
      testMatch: ['**/chart-on-openstack.test.ts'],
      globalSetup: '<rootDir>/driver/test/openstack/global-setup.ts',
      globalTeardown: '<rootDir>/driver/test/openstack/global-teardown.ts',
    },
  ],
  testTimeout: 5 * 60_000,
  maxWorkers: 1,
};
