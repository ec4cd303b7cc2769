import { createHmac } from 'node:crypto';

import {
	signWebhook,
	verifyWebhook,
	type SignatureScheme,
	type VerifyOptions,
} from '../../../../lib/signing';

const scheme: SignatureScheme = { kind: 'github' };

// The example published in GitHub's "Validating webhook deliveries" guide.
const GITHUB_EXAMPLE = {
	shared: "It's a Secret to Everybody",
	body: 'Hello, World!',
	header: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};

const SHARED = 'github shared value one';
const PREVIOUS = 'github shared value zero';
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
		expect(headers['x-hub-signature-256']).toBe(GITHUB_EXAMPLE.header);
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

describe('GitHub style: signing', () => {
	const bodies: Array<[string, string | Buffer]> = [
		['an empty body', ''],
		['a JSON body', BODY],
		['a unicode body', '{"name":"Zoë ✓ 東京 🚀"}'],
		['a 64 KB body', 'x'.repeat(64 * 1024)],
		['a binary body', Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a])],
	];

	it.each(bodies)(
		'puts sha256=<hex HMAC of the body> and the delivery id in the headers for %s',
		(_, body) => {
			const headers = signWebhook({
				scheme,
				secret: SHARED,
				body,
				id: DELIVERY,
				timestamp: 1_700_000_000,
			});
			expect(headers).toEqual({
				'x-hub-signature-256': `sha256=${expectedHex(SHARED, body)}`,
				'x-github-delivery': DELIVERY,
			});
		},
	);

	it.each(bodies)('verifies its own signature for %s and reports the delivery id', (_, body) => {
		const headers = signWebhook({
			scheme,
			secret: SHARED,
			body,
			id: DELIVERY,
			timestamp: 1_700_000_000,
		});
		expect(verifyWebhook({ scheme, headers, body, secrets: [SHARED] })).toEqual({
			ok: true,
			id: DELIVERY,
		});
	});

	it('does not sign the timestamp: the header is the same for any timestamp', () => {
		const early = signWebhook({ scheme, secret: SHARED, body: BODY, id: DELIVERY, timestamp: 1 });
		const late = signWebhook({
			scheme,
			secret: SHARED,
			body: BODY,
			id: DELIVERY,
			timestamp: 2_000_000_000,
		});
		expect(early).toEqual(late);
	});

	it('refuses to sign with an empty secret', () => {
		expect(() =>
			signWebhook({ scheme, secret: '  ', body: BODY, id: DELIVERY, timestamp: 1 }),
		).toThrow(/empty/);
	});
});

describe('GitHub style: verification', () => {
	it('accepts a header computed independently and reports the delivery id', () => {
		expect(verify()).toEqual({ ok: true, id: DELIVERY });
	});

	it('accepts the body as bytes exactly like the same body as a string', () => {
		expect(verify({ body: Buffer.from(BODY, 'utf8') }).ok).toBe(true);
	});

	it('checks the exact bytes: a binary body decoded to text and back no longer verifies', () => {
		const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
		const headers = requestHeaders({
			'x-hub-signature-256': `sha256=${expectedHex(SHARED, bytes)}`,
		});
		expect(verify({ headers, body: bytes }).ok).toBe(true);
		expect(verify({ headers, body: bytes.toString('utf8') })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('accepts a request without X-GitHub-Delivery and then reports no id', () => {
		expect(verify({ headers: requestHeaders({ 'x-github-delivery': undefined }) })).toEqual({
			ok: true,
		});
	});

	it.each([
		['an empty body', '', ''],
		['a unicode body', '{"city":"Zürich","emoji":"✓"}', '{"city":"Zürich","emoji":"✓"}'],
	])('verifies %s', (_, signedBody, receivedBody) => {
		const headers = requestHeaders({
			'x-hub-signature-256': `sha256=${expectedHex(SHARED, signedBody)}`,
		});
		expect(verify({ headers, body: receivedBody }).ok).toBe(true);
	});

	it.each([
		['a changed body', '{"action":"closed","issue":{"number":1347,"title":"Found a bug"}}'],
		[
			're-serialised JSON (whitespace added)',
			'{"action": "opened", "issue": {"number": 1347, "title": "Found a bug"}}',
		],
		['a trailing newline', `${BODY}\n`],
		['an empty body', ''],
		['a unicode look-alike', BODY.replace('a bug', 'а bug')],
	])('rejects %s as signature_mismatch', (_, body) => {
		expect(verify({ body })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('rejects a signature made with another secret', () => {
		expect(verify({ secrets: ['some other shared value'] })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('rejects every request when no secret is configured', () => {
		expect(verify({ secrets: [] })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('does not authenticate the delivery id: it is reported as received', () => {
		expect(
			verify({ headers: requestHeaders({ 'x-github-delivery': 'another-delivery' }) }),
		).toEqual({
			ok: true,
			id: 'another-delivery',
		});
	});

	it.each([
		['long ago', 0],
		['far in the future', 4_000_000_000],
	])('has no replay window: a clock %s does not matter', (_, now) => {
		expect(verify({ now, toleranceSeconds: 1 })).toEqual({ ok: true, id: DELIVERY });
	});
});

describe('GitHub style: header handling', () => {
	it('reads header names in any casing', () => {
		const headers = {
			'X-Hub-Signature-256': `sha256=${expectedHex(SHARED, BODY)}`,
			'X-GitHub-Delivery': DELIVERY,
		};
		expect(verify({ headers })).toEqual({ ok: true, id: DELIVERY });
	});

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
		['space-separated', `${forged} ${valid}`],
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

	it('rejects a header holding only forged signatures', () => {
		const headers = requestHeaders({
			'x-hub-signature-256': `${forged} sha256=${'cd'.repeat(32)}`,
		});
		expect(verify({ headers })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('accepts a signature made with the previous secret during a rotation', () => {
		const headers = requestHeaders({
			'x-hub-signature-256': `sha256=${expectedHex(PREVIOUS, BODY)}`,
		});
		expect(verify({ headers, secrets: [SHARED, PREVIOUS] })).toEqual({ ok: true, id: DELIVERY });
	});

	it('still accepts the current secret while a previous one is configured', () => {
		expect(verify({ secrets: [SHARED, PREVIOUS] }).ok).toBe(true);
	});

	it('rejects a signature made with a secret that has been rotated out', () => {
		const headers = requestHeaders({
			'x-hub-signature-256': `sha256=${expectedHex(PREVIOUS, BODY)}`,
		});
		expect(verify({ headers, secrets: [SHARED] })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	const hex = expectedHex(SHARED, BODY);
	it.each([
		['no signature header', 'missing_signature', undefined],
		['an empty signature header', 'missing_signature', ''],
		['a blank signature header', 'missing_signature', '   '],
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

	it.each([
		['a changed body', { body: 'tampered' }],
		['a malformed header', { headers: requestHeaders({ 'x-hub-signature-256': 'sha256=123' }) }],
		['a missing header', { headers: {} }],
	])(
		'gives a human message for %s that contains neither the secret nor the expected digest',
		(_, overrides) => {
			const result = verify(overrides);
			expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/\w{3,}/) });
			const text = JSON.stringify(result);
			expect(text).not.toContain(SHARED);
			expect(text).not.toContain(expectedHex(SHARED, BODY));
			expect(text).not.toContain(expectedHex(SHARED, 'tampered'));
		},
	);
});
