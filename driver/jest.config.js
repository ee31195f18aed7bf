/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/openstack needs a real OpenStack (npm run test:openstack, its own config).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/openstack/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/helpers/loopback-only.js'],
  testTimeout: 60000,
};
