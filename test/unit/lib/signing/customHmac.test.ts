import { createHmac } from 'node:crypto';

import { schemeFromParameters } from '../../../../lib/signing/fromParameters';
import { signWebhook } from '../../../../lib/signing/sign';
import { verifyWebhook, type VerifyOptions } from '../../../../lib/signing/verify';
import type { CustomHmacScheme } from '../../../../lib/signing/schemes';
import type { HmacAlgorithm } from '../../../../lib/signing/profile';

type Encoding = CustomHmacScheme['encoding'];

const SHARED = 'custom shared value one';
const T = 1_700_000_000;
const BODY = '{"event":"order.created","order":{"id":42,"total":"19.99"}}';

const plain: CustomHmacScheme = {
	kind: 'customHmac',
	signatureHeader: 'X-Signature',
	algorithm: 'sha256',
	encoding: 'hex',
};

const timed: CustomHmacScheme = {
	...plain,
	prefix: 'sha256=',
	timestampHeader: 'X-Timestamp',
	idHeader: 'X-Event-Id',
};

/** The digest a sender computes, without the code under test. */
function digest(
	algorithm: HmacAlgorithm,
	encoding: Encoding,
	body: string | Buffer,
	options: { timestamp?: number | string; shared?: string } = {},
): string {
	const hmac = createHmac(algorithm, Buffer.from(options.shared ?? SHARED, 'utf8'));
	if (options.timestamp !== undefined) hmac.update(`${options.timestamp}.`);
	return hmac.update(body).digest(encoding);
}

function verify(
	scheme: CustomHmacScheme,
	headers: Record<string, string | string[] | undefined>,
	overrides: Partial<VerifyOptions> = {},
) {
	return verifyWebhook({ scheme, headers, body: BODY, secrets: [SHARED], now: T, ...overrides });
}

function plainHeaders(value: string | string[] | undefined = digest('sha256', 'hex', BODY)) {
	return { 'x-signature': value };
}

function timedHeaders(overrides: Record<string, string | string[] | undefined> = {}) {
	return {
		'x-signature': `sha256=${digest('sha256', 'hex', BODY, { timestamp: T })}`,
		'x-timestamp': String(T),
		'x-event-id': 'evt_42',
		...overrides,
	};
}

/** Same bytes, different text: flips a bit that base64 does not use in the last character. */
function nonCanonicalBase64(text: string): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const last = text.replace(/=+$/, '').length - 1;
	const swapped = alphabet[alphabet.indexOf(text[last]) ^ 1];
	return text.slice(0, last) + swapped + text.slice(last + 1);
}

const COMBINATIONS: Array<[HmacAlgorithm, Encoding]> = [
	['sha256', 'hex'],
	['sha256', 'base64'],
	['sha512', 'hex'],
	['sha512', 'base64'],
	['sha1', 'hex'],
	['sha1', 'base64'],
];

// What every scheme does (tampering, rotation, the replay window, missing headers, messages) is in
// schemes.test.ts.
describe('Custom HMAC: every algorithm and encoding', () => {
	const bodies: Array<[string, string | Buffer]> = [
		['an empty body', ''],
		['a JSON body', BODY],
		['a unicode body', '{"text":"Ærøskøbing ✓ 東京 🚀"}'],
		['a 64 KB body', 'z'.repeat(64 * 1024)],
	];

	describe.each(COMBINATIONS)('%s / %s', (algorithm, encoding) => {
		const scheme: CustomHmacScheme = { ...plain, algorithm, encoding };

		it.each(bodies)('signs %s as the bare digest in the configured header', (_, body) => {
			const headers = signWebhook({ scheme, secret: SHARED, body, id: 'evt_1', timestamp: T });
			expect(headers).toEqual({ 'X-Signature': digest(algorithm, encoding, body) });
		});

		it.each(bodies)('verifies a sender signature over %s', (_, body) => {
			const result = verify(scheme, plainHeaders(digest(algorithm, encoding, body)), { body });
			expect(result).toEqual({ ok: true });
		});

		it('round-trips with a prefix, a timestamp and an id', () => {
			const full: CustomHmacScheme = { ...timed, algorithm, encoding, prefix: `${algorithm}=` };
			const headers = signWebhook({
				scheme: full,
				secret: SHARED,
				body: BODY,
				id: 'evt_9',
				timestamp: T,
			});
			expect(headers).toEqual({
				'X-Signature': `${algorithm}=${digest(algorithm, encoding, BODY, { timestamp: T })}`,
				'X-Timestamp': String(T),
				'X-Event-Id': 'evt_9',
			});
			expect(verify(full, headers)).toEqual({ ok: true, id: 'evt_9', timestamp: T });
		});

		it('rejects a whitespace change in the body', () => {
			const headers = plainHeaders(digest(algorithm, encoding, BODY));
			expect(verify(scheme, headers).ok).toBe(true);
			expect(verify(scheme, headers, { body: BODY.replace(':', ': ') })).toMatchObject({
				ok: false,
				reason: 'signature_mismatch',
			});
		});

		it('rejects a digest made with another algorithm as malformed_signature', () => {
			const other: HmacAlgorithm = algorithm === 'sha256' ? 'sha512' : 'sha256';
			const result = verify(scheme, plainHeaders(digest(other, encoding, BODY)));
			expect(result).toMatchObject({ ok: false, reason: 'malformed_signature' });
		});

		it('rejects the right digest in the other encoding as malformed_signature', () => {
			const otherEncoding: Encoding = encoding === 'hex' ? 'base64' : 'hex';
			expect(verify(scheme, plainHeaders(digest(algorithm, otherEncoding, BODY)))).toMatchObject({
				ok: false,
				reason: 'malformed_signature',
			});
		});

		it.each([
			['one character short', (text: string) => text.slice(0, -1)],
			['one character too long', (text: string) => `${text}A`],
			['doubled', (text: string) => text + text],
			['with an invalid character', (text: string) => `*${text.slice(1)}`],
		])('rejects a digest %s as malformed_signature', (_, mangle) => {
			const result = verify(scheme, plainHeaders(mangle(digest(algorithm, encoding, BODY))));
			expect(result).toMatchObject({ ok: false, reason: 'malformed_signature' });
		});
	});
});

describe('Custom HMAC: verification', () => {
	it.each([['x-signature'], ['X-SIGNATURE'], ['x-SiGnAtUrE']])(
		'reads the configured header sent as %s',
		(name) => {
			expect(verify(plain, { [name]: digest('sha256', 'hex', BODY) }).ok).toBe(true);
		},
	);

	it('reads a header configured in lower case when the sender capitalises it', () => {
		const scheme: CustomHmacScheme = { ...plain, signatureHeader: 'x-acme-signature' };
		expect(verify(scheme, { 'X-Acme-Signature': digest('sha256', 'hex', BODY) }).ok).toBe(true);
	});

	it('accepts an upper-case hex digest', () => {
		expect(verify(plain, plainHeaders(digest('sha256', 'hex', BODY).toUpperCase())).ok).toBe(true);
	});

	it('rejects a base64 digest that decodes to the right bytes but is not spelled canonically', () => {
		const scheme: CustomHmacScheme = { ...plain, encoding: 'base64' };
		const canonical = digest('sha256', 'base64', BODY);
		const altered = nonCanonicalBase64(canonical);
		expect(altered).not.toBe(canonical);
		expect(Buffer.from(altered, 'base64')).toEqual(Buffer.from(canonical, 'base64'));
		expect(verify(scheme, plainHeaders(canonical)).ok).toBe(true);
		expect(verify(scheme, plainHeaders(altered))).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	const forged = 'ab'.repeat(32);
	const valid = digest('sha256', 'hex', BODY);

	it.each([
		['space-separated', `${forged} ${valid}`],
		['comma-separated', `${forged},${valid}`],
		['comma-and-space separated', `${forged}, ${forged}, ${valid}`],
		['after malformed entries', `nothex ${valid.slice(1)} ${forged} ${valid}`],
	])('tries every bare digest when only the last is valid: %s', (_, value) => {
		expect(verify(plain, plainHeaders(value)).ok).toBe(true);
	});

	it('tries every value of a repeated header when only the last is valid', () => {
		expect(verify(plain, plainHeaders([forged, valid])).ok).toBe(true);
	});
});

describe('Custom HMAC: prefixes', () => {
	const prefixed: CustomHmacScheme = { ...plain, prefix: 'sha256=' };
	const hex = digest('sha256', 'hex', BODY);

	it('accepts the digest after the configured prefix', () => {
		expect(verify(prefixed, plainHeaders(`sha256=${hex}`)).ok).toBe(true);
	});

	it('matches the prefix case-insensitively', () => {
		expect(verify(prefixed, plainHeaders(`SHA256=${hex}`)).ok).toBe(true);
	});

	it.each([
		['the bare digest', hex],
		['another prefix', `sha512=${hex}`],
		['the prefix alone', 'sha256='],
		['the prefix after the digest', `${hex}sha256=`],
	])('rejects %s as malformed_signature when a prefix is configured', (_, value) => {
		expect(verify(prefixed, plainHeaders(value))).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('rejects a prefixed digest when no prefix is configured', () => {
		expect(verify(plain, plainHeaders(`sha256=${hex}`))).toMatchObject({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it.each([
		['"HMAC " typed in the node', 'HMAC ', `HMAC ${hex}`],
		['"HMAC" typed in the node', 'HMAC', `HMAC ${hex}`],
		['"sha256= " typed with a stray space', 'sha256= ', `sha256=${hex}`],
		['"  v1=" typed with leading spaces', '  v1=', `v1=${hex}`],
		['"HMAC-SHA256 " typed in the node', 'HMAC-SHA256 ', `HMAC-SHA256 ${hex}`],
	])('verifies with a prefix of %s', (_, prefix, value) => {
		const scheme = schemeFromParameters(
			{ scheme: 'customHmac', signatureHeader: 'X-Signature', prefix },
			2,
		);
		expect(scheme).not.toBeNull();
		expect(verify(scheme as CustomHmacScheme, plainHeaders(value))).toEqual({ ok: true });
	});

	it('verifies a prefix that contains a space in the middle', () => {
		const scheme: CustomHmacScheme = { ...plain, prefix: 'Signature sha256=' };
		expect(verify(scheme, plainHeaders(`Signature sha256=${hex}`)).ok).toBe(true);
		expect(verify(scheme, plainHeaders(`sha256=${hex}`))).toMatchObject({
			reason: 'malformed_signature',
		});
	});

	it('mentions the expected prefix, algorithm and encoding in the malformed message', () => {
		const result = verify(prefixed, plainHeaders(hex));
		expect(result).toMatchObject({ ok: false, message: expect.stringContaining('sha256=') });
		expect(result).toMatchObject({ message: expect.stringMatching(/hex/i) });
		expect(result).toMatchObject({ message: expect.stringMatching(/digest/) });
	});
});

describe('Custom HMAC: timestamp header', () => {
	it('rejects a signature over the body alone when a timestamp header is configured', () => {
		const headers = timedHeaders({ 'x-signature': `sha256=${digest('sha256', 'hex', BODY)}` });
		expect(verify(timed, headers)).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it.each([
		['a fractional timestamp', `${T}.0`],
		['an ISO date', '2023-11-14T22:13:20Z'],
	])('answers %s with missing_timestamp', (_, value) => {
		expect(verify(timed, timedHeaders({ 'x-timestamp': value }))).toMatchObject({
			ok: false,
			reason: 'missing_timestamp',
		});
	});

	it('accepts a request without the id header and reports no id', () => {
		expect(verify(timed, timedHeaders({ 'x-event-id': undefined }))).toEqual({
			ok: true,
			timestamp: T,
		});
	});
});

describe('Custom HMAC: malformed headers and messages', () => {
	const hex = digest('sha256', 'hex', BODY);

	it.each([
		['non-hex characters', 'malformed_signature', 'xy'.repeat(32)],
		[
			'a base64 digest where hex is configured',
			'malformed_signature',
			Buffer.from(hex, 'hex').toString('base64'),
		],
		['a SHA-1 length digest', 'malformed_signature', hex.slice(0, 40)],
		['a digest with one extra hex digit', 'malformed_signature', `${hex}f`],
		['a digest with one extra byte', 'malformed_signature', `${hex}ff`],
		['unrelated text', 'malformed_signature', 'hello world'],
	])('answers %s with %s', (_, reason, value) => {
		expect(verify(plain, plainHeaders(value))).toMatchObject({ ok: false, reason });
	});
});
