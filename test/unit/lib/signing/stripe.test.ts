import { createHmac } from 'node:crypto';

import { signWebhook } from '../../../../lib/signing/sign';
import { verifyWebhook, type VerifyOptions } from '../../../../lib/signing/verify';
import type { SignableScheme } from '../../../../lib/signing/schemes';
import { whsec } from '../../../support/events.cjs';

const scheme: SignableScheme = { kind: 'stripe' };

const SHARED = 'stripe shared value one';
const STRIPE_STYLE = whsec('thirty-two bytes of endpoint key');
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

// What every scheme does (signing, tampering, rotation, the replay window, missing headers,
// messages) is in schemes.test.ts.
describe('Stripe style: signing', () => {
	it('keys the HMAC with the whole whsec_ secret as text, as Stripe does', () => {
		const sign = (secretEncoding?: 'whsecOrText') =>
			signWebhook({
				scheme: { ...scheme, secretEncoding },
				secret: STRIPE_STYLE,
				body: BODY,
				id: 'evt_1',
				timestamp: T,
			})['Stripe-Signature'];
		expect(sign()).toBe(`t=${T},v1=${expectedHex(Buffer.from(STRIPE_STYLE), T, BODY)}`);
		// Version 1 nodes decoded it, and keep doing so.
		const decoded = Buffer.from('thirty-two bytes of endpoint key');
		expect(sign('whsecOrText')).toBe(`t=${T},v1=${expectedHex(decoded, T, BODY)}`);
	});
});

describe('Stripe style: verification', () => {
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

	it('rejects a signature over the body alone, without the timestamp', () => {
		const bodyOnly = createHmac('sha256', SHARED).update(BODY).digest('hex');
		expect(verify({ headers: requestHeaders(`t=${T},v1=${bodyOnly}`) })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});
});

describe('Stripe style: malformed headers', () => {
	const hex = expectedHex(SHARED, T, BODY);

	it.each([
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
		expect(verify({ headers: requestHeaders(value) })).toMatchObject({ ok: false, reason });
	});
});
