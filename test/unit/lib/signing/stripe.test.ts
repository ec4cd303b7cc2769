import { createHmac } from 'node:crypto';

import {
	signWebhook,
	verifyWebhook,
	type SignatureScheme,
	type VerifyOptions,
} from '../../../../lib/signing';

const scheme: SignatureScheme = { kind: 'stripe' };

const SHARED = 'stripe shared value one';
const PREVIOUS = 'stripe shared value zero';
const STRIPE_STYLE = 'whsec_' + Buffer.from('thirty-two bytes of endpoint key').toString('base64');
const T = 1_700_000_000;
const BODY =
	'{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","type":"payment_intent.succeeded","data":{"object":{"amount":2000}}}';

/** Stripe's v1 signature, computed without the code under test. */
function expectedHex(
	keyBytes: Buffer | string,
	timestamp: number | string,
	body: string | Buffer,
): string {
	return createHmac('sha256', keyBytes).update(`${timestamp}.`).update(body).digest('hex');
}

function requestHeaders(value?: string | string[]) {
	return {
		'stripe-signature': value === undefined ? `t=${T},v1=${expectedHex(SHARED, T, BODY)}` : value,
	};
}

function verify(overrides: Partial<VerifyOptions> = {}) {
	return verifyWebhook({
		scheme,
		headers: requestHeaders(),
		body: BODY,
		secrets: [SHARED],
		now: T,
		...overrides,
	});
}

describe('Stripe style: signing', () => {
	const bodies: Array<[string, string | Buffer]> = [
		['an empty body', ''],
		['a JSON body', BODY],
		['a unicode body', '{"description":"Crème brûlée ✓ 東京 🚀"}'],
		['a 64 KB body', 'y'.repeat(64 * 1024)],
		['a binary body', Buffer.from([0x00, 0xff, 0xfe, 0x80])],
	];

	it.each(bodies)(
		'puts t=<unix>,v1=<hex HMAC of "<t>.<body>"> in Stripe-Signature for %s',
		(_, body) => {
			const headers = signWebhook({ scheme, secret: SHARED, body, id: 'evt_1', timestamp: T });
			expect(headers).toEqual({ 'stripe-signature': `t=${T},v1=${expectedHex(SHARED, T, body)}` });
		},
	);

	it.each(bodies)('verifies its own signature for %s and reports the timestamp', (_, body) => {
		const headers = signWebhook({ scheme, secret: SHARED, body, id: 'evt_1', timestamp: T });
		expect(verifyWebhook({ scheme, headers, body, secrets: [SHARED], now: T })).toEqual({
			ok: true,
			timestamp: T,
		});
	});

	it('uses the base64-decoded bytes of a whsec_ secret as the key', () => {
		const keyBytes = Buffer.from('thirty-two bytes of endpoint key');
		const headers = signWebhook({
			scheme,
			secret: STRIPE_STYLE,
			body: BODY,
			id: 'evt_1',
			timestamp: T,
		});
		expect(headers['stripe-signature']).toBe(`t=${T},v1=${expectedHex(keyBytes, T, BODY)}`);
	});

	it('signs the timestamp: another timestamp gives another signature', () => {
		const first = signWebhook({ scheme, secret: SHARED, body: BODY, id: 'evt_1', timestamp: T });
		const second = signWebhook({
			scheme,
			secret: SHARED,
			body: BODY,
			id: 'evt_1',
			timestamp: T + 1,
		});
		expect(first['stripe-signature'].split('v1=')[1]).not.toBe(
			second['stripe-signature'].split('v1=')[1],
		);
	});
});

describe('Stripe style: verification', () => {
	it('accepts a header computed independently and reports its timestamp', () => {
		expect(verify()).toEqual({ ok: true, timestamp: T });
	});

	it('accepts the body as bytes exactly like the same body as a string', () => {
		expect(verify({ body: Buffer.from(BODY) }).ok).toBe(true);
	});

	it.each([
		['an empty body', ''],
		['a unicode body', '{"name":"Zoë","note":"ø✓東京"}'],
	])('verifies %s', (_, body) => {
		const headers = requestHeaders(`t=${T},v1=${expectedHex(SHARED, T, body)}`);
		expect(verify({ headers, body }).ok).toBe(true);
	});

	it('accepts a real-looking header with a v0 entry and spaces after the commas', () => {
		const headers = requestHeaders(
			`t=${T}, v1=${expectedHex(SHARED, T, BODY)}, v0=${'0'.repeat(64)}`,
		);
		expect(verify({ headers }).ok).toBe(true);
	});

	it('accepts the entries in any order', () => {
		const headers = requestHeaders(`v1=${expectedHex(SHARED, T, BODY)},t=${T}`);
		expect(verify({ headers }).ok).toBe(true);
	});

	it.each([
		['a changed body', BODY.replace('2000', '20000')],
		['re-serialised JSON (whitespace added)', JSON.stringify(JSON.parse(BODY), null, 2)],
		['a trailing newline', `${BODY}\n`],
		['an empty body', ''],
	])('rejects %s as signature_mismatch', (_, body) => {
		expect(verify({ body })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('rejects a changed t= inside the tolerance as signature_mismatch', () => {
		const headers = requestHeaders(`t=${T + 1},v1=${expectedHex(SHARED, T, BODY)}`);
		expect(verify({ headers })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('rejects a signature over the body alone, without the timestamp', () => {
		const bodyOnly = createHmac('sha256', SHARED).update(BODY).digest('hex');
		expect(verify({ headers: requestHeaders(`t=${T},v1=${bodyOnly}`) })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('rejects a signature made with another secret', () => {
		expect(verify({ secrets: ['unrelated shared value'] })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});

	it('rejects every request when no secret is configured', () => {
		expect(verify({ secrets: [] })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('reads the header name in any casing', () => {
		const headers = { 'Stripe-Signature': `t=${T},v1=${expectedHex(SHARED, T, BODY)}` };
		expect(verify({ headers }).ok).toBe(true);
	});

	const forged = `v1=${'ab'.repeat(32)}`;
	const valid = `v1=${expectedHex(SHARED, T, BODY)}`;

	it('tries every v1 signature when only the last is valid', () => {
		const headers = requestHeaders(`t=${T},${forged},v1=${'cd'.repeat(32)},v1=nothex,${valid}`);
		expect(verify({ headers })).toEqual({ ok: true, timestamp: T });
	});

	it('rejects a header whose v1 signatures are all forged', () => {
		const headers = requestHeaders(`t=${T},${forged},v1=${'cd'.repeat(32)}`);
		expect(verify({ headers })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('accepts a signature made with the previous secret during a rotation', () => {
		const headers = requestHeaders(`t=${T},v1=${expectedHex(PREVIOUS, T, BODY)}`);
		expect(verify({ headers, secrets: [SHARED, PREVIOUS] })).toEqual({ ok: true, timestamp: T });
	});

	it('accepts a header carrying signatures for both secrets during a rotation', () => {
		const headers = requestHeaders(`t=${T},v1=${expectedHex(PREVIOUS, T, BODY)},${valid}`);
		expect(verify({ headers, secrets: [SHARED] }).ok).toBe(true);
		expect(verify({ headers, secrets: [PREVIOUS] }).ok).toBe(true);
	});

	it('rejects a signature made with a secret that has been rotated out', () => {
		const headers = requestHeaders(`t=${T},v1=${expectedHex(PREVIOUS, T, BODY)}`);
		expect(verify({ headers })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});
});

describe('Stripe style: replay window', () => {
	it.each([
		[-300, true],
		[300, true],
		[-301, false],
		[301, false],
		[0, true],
		[86_400, false],
	])('with the clock %i s from t=, accepted is %s', (offset, accepted) => {
		const result = verify({ now: T + offset });
		expect(result.ok).toBe(accepted);
		if (!accepted) expect(result).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
	});

	it('honours a custom tolerance', () => {
		expect(verify({ now: T + 31, toleranceSeconds: 30 })).toMatchObject({
			reason: 'timestamp_out_of_tolerance',
		});
		expect(verify({ now: T - 30, toleranceSeconds: 30 }).ok).toBe(true);
	});

	it('checks the window against the real clock by default', () => {
		const now = Math.floor(Date.now() / 1000);
		const fresh = requestHeaders(`t=${now},v1=${expectedHex(SHARED, now, BODY)}`);
		expect(verify({ headers: fresh, now: undefined }).ok).toBe(true);
		expect(verify({ now: undefined })).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
	});

	it('rejects a replayed request whose t= was moved into the window', () => {
		const stale = expectedHex(SHARED, T - 3600, BODY);
		expect(verify({ headers: requestHeaders(`t=${T},v1=${stale}`) })).toMatchObject({
			reason: 'signature_mismatch',
		});
		expect(verify({ headers: requestHeaders(`t=${T - 3600},v1=${stale}`) })).toMatchObject({
			reason: 'timestamp_out_of_tolerance',
		});
	});
});

describe('Stripe style: malformed headers', () => {
	const hex = expectedHex(SHARED, T, BODY);

	it.each([
		['no header', 'missing_signature', undefined],
		['an empty header', 'missing_signature', ''],
		['a blank header', 'missing_signature', '  '],
		['no t= entry', 'missing_timestamp', `v1=${hex}`],
		['an empty t= entry', 'missing_timestamp', `t=,v1=${hex}`],
		['a non-numeric t=', 'missing_timestamp', `t=yesterday,v1=${hex}`],
		['a fractional t=', 'missing_timestamp', `t=${T}.5,v1=${hex}`],
		['a negative t=', 'missing_timestamp', `t=-${T},v1=${hex}`],
		['a hexadecimal t=', 'missing_timestamp', `t=0x6553f100,v1=${hex}`],
		['t= in exponent notation', 'missing_timestamp', `t=1.7e9,v1=${hex}`],
		['an upper-case T=', 'missing_timestamp', `T=${T},v1=${hex}`],
		['t: instead of t=', 'missing_timestamp', `t:${T},v1=${hex}`],
		['unrelated text', 'missing_timestamp', 'hello world'],
		['only commas', 'missing_timestamp', ',,,'],
		['no v1= entry', 'malformed_signature', `t=${T}`],
		['only a v0 entry', 'malformed_signature', `t=${T},v0=${hex}`],
		['an upper-case V1=', 'malformed_signature', `t=${T},V1=${hex}`],
		['an empty v1=', 'malformed_signature', `t=${T},v1=`],
		['a non-hex v1=', 'malformed_signature', `t=${T},v1=${'g'.repeat(64)}`],
		[
			'a base64 v1=',
			'malformed_signature',
			`t=${T},v1=${Buffer.from(hex, 'hex').toString('base64')}`,
		],
		['a v1= one hex digit short', 'malformed_signature', `t=${T},v1=${hex.slice(0, 63)}`],
		['a v1= one byte short', 'malformed_signature', `t=${T},v1=${hex.slice(0, 62)}`],
		['a v1= with one extra hex digit', 'malformed_signature', `t=${T},v1=${hex}a`],
		['a v1= with one extra byte', 'malformed_signature', `t=${T},v1=${hex}ab`],
		['a v1= with the sha256= prefix', 'malformed_signature', `t=${T},v1=sha256=${hex}`],
		['entries separated by semicolons', 'missing_timestamp', `t=${T};v1=${hex}`],
	])('answers %s with %s', (_, reason, value) => {
		const headers = value === undefined ? {} : requestHeaders(value);
		expect(verify({ headers })).toMatchObject({ ok: false, reason });
	});

	it.each([
		['a changed body', { body: 'tampered' }],
		['a stale timestamp', { now: T + 1000 }],
		['a malformed header', { headers: requestHeaders(`t=${T},v1=abc`) }],
		['a missing t=', { headers: requestHeaders(`v1=${expectedHex(SHARED, T, BODY)}`) }],
	])(
		'gives a human message for %s that contains neither the secret nor the expected digest',
		(_, overrides) => {
			const result = verify(overrides);
			expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/\w{3,}/) });
			const text = JSON.stringify(result);
			expect(text).not.toContain(SHARED);
			expect(text).not.toContain(expectedHex(SHARED, T, 'tampered'));
			expect(text).not.toContain(expectedHex(SHARED, T, BODY));
		},
	);
});
