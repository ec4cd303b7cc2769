/**
 * The fast suites, no n8n running: unit tests (test/unit, n8n's contexts faked) and the engine
 * tier (test/engine, workflows run through n8n-core's WorkflowExecute). End-to-end tests live in
 * test/e2e and run under node:test.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/unit', '<rootDir>/test/engine'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	globalSetup: '<rootDir>/test/engine/globalSetup.cjs',
	globalTeardown: '<rootDir>/test/engine/globalTeardown.cjs',
};
