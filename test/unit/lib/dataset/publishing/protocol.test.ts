import {
	MIN_PUBLISH_KEY_LENGTH,
	publishKeyId,
	publishKeyProblem,
	publishSigningSecret,
} from '../../../../../lib/dataset/publishing/protocol';

const PUBLISH_KEY = 'example-publish-key-a-0123456789abcdef-01';
const SECRET = publishSigningSecret(PUBLISH_KEY, 'workflow-1', 'node-1');

describe('publishSigningSecret', () => {
	it('is a Standard Webhooks secret that differs per publish key, workflow and node', () => {
		expect(SECRET).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		expect(publishSigningSecret(PUBLISH_KEY, 'workflow-1', 'node-1')).toBe(SECRET);
		const others = [
			publishSigningSecret(`${PUBLISH_KEY}b`, 'workflow-1', 'node-1'),
			publishSigningSecret(PUBLISH_KEY, 'workflow-2', 'node-1'),
			publishSigningSecret(PUBLISH_KEY, 'workflow-1', 'node-2'),
		];
		expect(new Set([SECRET, ...others]).size).toBe(4);
	});
});

describe('publishKeyProblem', () => {
	it.each([
		['a', 'too short'],
		['x'.repeat(MIN_PUBLISH_KEY_LENGTH - 1), 'too short'],
		[`${'x'.repeat(MIN_PUBLISH_KEY_LENGTH)}\n`, 'spaces or line breaks'],
	])('refuses %j', (publishKey, problem) => {
		expect(publishKeyProblem(publishKey)).toContain(problem);
	});

	it('accepts what openssl rand -base64 32 prints', () => {
		const OPENSSL_RAND_BASE64_32 = 'q9Zq1VvTtq0m5dXGmS0S5H1m5mJkq2wJ0j6zvQ5c7nE=';
		expect(publishKeyProblem(OPENSSL_RAND_BASE64_32)).toBeUndefined();
	});
});

describe('publishKeyId', () => {
	it('names a key in 16 characters that differ per key and reveal neither key', () => {
		const id = publishKeyId(SECRET);
		expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(publishKeyId(SECRET)).toBe(id);
		expect(publishKeyId(publishSigningSecret(PUBLISH_KEY, 'workflow-1', 'node-2'))).not.toBe(id);
		expect(SECRET).not.toContain(id);
	});
});
