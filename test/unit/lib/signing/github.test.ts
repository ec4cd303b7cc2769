import { createHmac } from 'node:crypto';

import { signWebhook } from '../../../../lib/signing/sign';
import { verifyWebhook, type VerifyOptions } from '../../../../lib/signing/verify';
import type { SignableScheme } from '../../../../lib/signing/schemes';

const scheme: SignableScheme = { kind: 'github' };

// The example published in GitHub's "Validating webhook deliveries" guide.
const GITHUB_EXAMPLE = {
	shared: "It's a Secret to Everybody",
	body: 'Hello, World!',
	header: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};

const SHARED = 'github shared value one';
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const BODY = '{"action":"opened","issue":{"number":1347,"title":"Found a bug"}}';

/** Computed without the code under test. */
function expectedHex(shared: string, body: string | Buffer): string {
	return createHmac('sha256', Buffer.from(shared, 'utf8')).update(body).digest('hex');
}

function requestHeaders(overrides: Record<string, string | string[] | undefined> = {}) {
	return {
		'x-hub-signature-256': `sha256=${expectedHex(SHARED, BODY)}`,
		'x-github-delivery': DELIVERY,
		...overrides,
	};
}

function verify(overrides: Partial<VerifyOptions> = {}) {
	return verifyWebhook({
		scheme,
		headers: requestHeaders(),
		body: BODY,
		secrets: [SHARED],
		...overrides,
	});
}

describe('GitHub style: the example from GitHub', () => {
	it('signs to the published header', () => {
		const headers = signWebhook({
			scheme,
			secret: GITHUB_EXAMPLE.shared,
			body: GITHUB_EXAMPLE.body,
			id: 'delivery-1',
			timestamp: 0,
		});
		expect(headers['X-Hub-Signature-256']).toBe(GITHUB_EXAMPLE.header);
	});

	it('verifies the published header', () => {
		const result = verifyWebhook({
			scheme,
			headers: { 'X-Hub-Signature-256': GITHUB_EXAMPLE.header },
			body: GITHUB_EXAMPLE.body,
			secrets: [GITHUB_EXAMPLE.shared],
		});
		expect(result.ok).toBe(true);
	});
});

// What every scheme does (signing, tampering, rotation, missing headers, messages) is in schemes.test.ts.
describe('GitHub style: the delivery id', () => {
	it('accepts a request without X-GitHub-Delivery and then reports no id', () => {
		expect(verify({ headers: requestHeaders({ 'x-github-delivery': undefined }) })).toEqual({
			ok: true,
		});
	});

	it('does not authenticate the delivery id: it is reported as received', () => {
		expect(
			verify({ headers: requestHeaders({ 'x-github-delivery': 'another-delivery' }) }),
		).toEqual({
			ok: true,
			id: 'another-delivery',
		});
	});
});

describe('GitHub style: header handling', () => {
	it('accepts an upper-case prefix and digest', () => {
		const headers = requestHeaders({
			'x-hub-signature-256': `SHA256=${expectedHex(SHARED, BODY).toUpperCase()}`,
		});
		expect(verify({ headers }).ok).toBe(true);
	});

	it('tolerates whitespace around the header value', () => {
		const headers = requestHeaders({
			'x-hub-signature-256': `  sha256=${expectedHex(SHARED, BODY)}\t`,
		});
		expect(verify({ headers }).ok).toBe(true);
	});

	const forged = `sha256=${'ab'.repeat(32)}`;
	const valid = `sha256=${expectedHex(SHARED, BODY)}`;

	it.each([
		['comma-separated', `${forged},${valid}`],
		['comma-and-space separated (as proxies join repeated headers)', `${forged}, ${valid}`],
		['after malformed entries', `sha256=nothex sha1=${'a'.repeat(40)} ${forged} ${valid}`],
	])('tries every signature when only the last is valid: %s', (_, value) => {
		expect(verify({ headers: requestHeaders({ 'x-hub-signature-256': value }) }).ok).toBe(true);
	});

	it('tries every value of a repeated header when only the last is valid', () => {
		expect(
			verify({ headers: requestHeaders({ 'x-hub-signature-256': [forged, forged, valid] }) }).ok,
		).toBe(true);
	});

	const hex = expectedHex(SHARED, BODY);
	it.each([
		['an empty repeated header', 'missing_signature', ['', ' ']],
		['a bare digest without "sha256="', 'malformed_signature', hex],
		['the prefix only', 'malformed_signature', 'sha256='],
		['a sha1 prefix', 'malformed_signature', `sha1=${hex.slice(0, 40)}`],
		['a sha512 prefix', 'malformed_signature', `sha512=${hex}`],
		['a misspelt prefix', 'malformed_signature', `sha-256=${hex}`],
		['a colon instead of "="', 'malformed_signature', `sha256:${hex}`],
		['non-hex characters', 'malformed_signature', `sha256=${'zz'.repeat(32)}`],
		[
			'a base64 digest',
			'malformed_signature',
			`sha256=${Buffer.from(hex, 'hex').toString('base64')}`,
		],
		['a digest one hex digit short', 'malformed_signature', `sha256=${hex.slice(0, 63)}`],
		['a digest one byte short', 'malformed_signature', `sha256=${hex.slice(0, 62)}`],
		['a digest with one extra hex digit', 'malformed_signature', `sha256=${hex}0`],
		['a digest with one extra byte', 'malformed_signature', `sha256=${hex}00`],
		['a digest of twice the length', 'malformed_signature', `sha256=${hex}${hex}`],
		['unrelated text', 'malformed_signature', 'hello world'],
	])('answers %s with %s', (_, reason, value) => {
		expect(verify({ headers: requestHeaders({ 'x-hub-signature-256': value }) })).toMatchObject({
			ok: false,
			reason,
		});
	});

	it('ignores the legacy SHA-1 X-Hub-Signature header on its own', () => {
		const headers = {
			'x-hub-signature': `sha1=${createHmac('sha1', SHARED).update(BODY).digest('hex')}`,
			'x-github-delivery': DELIVERY,
		};
		expect(verify({ headers })).toMatchObject({ ok: false, reason: 'missing_signature' });
	});
});
