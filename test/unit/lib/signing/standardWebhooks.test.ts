import { Webhook } from 'standardwebhooks';

import { signWebhook } from '../../../../lib/signing/sign';
import { verifyWebhook } from '../../../../lib/signing/verify';
import type { SignableScheme } from '../../../../lib/signing/schemes';
import { whsec } from '../../../support/events.cjs';

const scheme: SignableScheme = { kind: 'standardWebhooks' };

// The test vector published with the Standard Webhooks specification.
const VECTOR = {
	whsec: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
	timestamp: 1614265330,
	body: '{"test": 2432232314}',
	signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

function vectorHeaders(overrides: Record<string, string | undefined> = {}) {
	return {
		'webhook-id': VECTOR.id,
		'webhook-timestamp': String(VECTOR.timestamp),
		'webhook-signature': VECTOR.signature,
		...overrides,
	};
}

function verifyVector(overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) {
	return verifyWebhook({
		scheme,
		headers: vectorHeaders(),
		body: VECTOR.body,
		secrets: [VECTOR.whsec],
		now: VECTOR.timestamp,
		...overrides,
	});
}

// What every scheme does (tampering, rotation, the replay window, missing headers, messages) is in
// schemes.test.ts.
describe('Standard Webhooks: the published test vector', () => {
	it('signs to the published signature', () => {
		const headers = signWebhook({
			scheme,
			secret: VECTOR.whsec,
			body: VECTOR.body,
			id: VECTOR.id,
			timestamp: VECTOR.timestamp,
		});
		expect(headers).toEqual(vectorHeaders());
	});

	it('verifies the published signature and reports the id and timestamp', () => {
		expect(verifyVector()).toEqual({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp });
	});

	it('signs the id: a changed webhook-id no longer verifies', () => {
		expect(verifyVector({ headers: vectorHeaders({ 'webhook-id': 'msg_other' }) })).toMatchObject({
			ok: false,
			reason: 'signature_mismatch',
		});
	});
});

describe('Standard Webhooks: header handling', () => {
	it('tries every signature in the header, when only the last one is valid', () => {
		const forged = 'v1,' + Buffer.alloc(32, 7).toString('base64');
		const headers = vectorHeaders({
			'webhook-signature': `${forged} v1a,abc v2,xyz ${VECTOR.signature}`,
		});
		expect(verifyVector({ headers }).ok).toBe(true);
	});

	it.each([
		['no id header', 'malformed_signature', { 'webhook-id': undefined }],
		[
			'a timestamp in milliseconds as text',
			'missing_timestamp',
			{ 'webhook-timestamp': '1614265330.5' },
		],
		[
			'no version tag',
			'malformed_signature',
			{ 'webhook-signature': 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' },
		],
		[
			'only unknown versions',
			'malformed_signature',
			{ 'webhook-signature': 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' },
		],
		[
			'a truncated signature',
			'malformed_signature',
			{ 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJE' },
		],
		[
			'an over-long signature',
			'malformed_signature',
			{ 'webhook-signature': 'v1,' + Buffer.alloc(64, 1).toString('base64') },
		],
		['an empty v1 entry', 'malformed_signature', { 'webhook-signature': 'v1,' }],
	])('answers %s with %s', (_, reason, overrides) => {
		expect(verifyVector({ headers: vectorHeaders(overrides) })).toMatchObject({
			ok: false,
			reason,
		});
	});
});

describe('Standard Webhooks: round trip with the reference library', () => {
	const base64Secret = whsec('a rather long shared secret, 32+');
	const rawSecret = 'plain-text secret without the prefix';
	// The library reads a "whsec_" secret as base64 and a plain one only when told it is raw.
	const libraries = [
		[base64Secret, new Webhook(base64Secret)],
		[rawSecret, new Webhook(rawSecret, { format: 'raw' })],
	] as const;
	const bodies = [
		'',
		'{"type":"flow.start","data":{"name":"Zoë ✓ 東京"}}',
		JSON.stringify({ big: 'x'.repeat(70_000) }),
	];

	it.each(bodies.map((body) => [body.length, body]))(
		'our signature verifies there (body of %i chars)',
		(_, body) => {
			const now = Math.floor(Date.now() / 1000);
			for (const [secret, library] of libraries) {
				const headers = signWebhook({ scheme, secret, body, id: 'msg_round_trip', timestamp: now });
				expect(() => library.verify(body, headers)).not.toThrow();
			}
		},
	);

	it.each(bodies.map((body) => [body.length, body]))(
		'their signature verifies here (body of %i chars)',
		(_, body) => {
			const now = Math.floor(Date.now() / 1000);
			for (const [secret, library] of libraries) {
				const headers = {
					'webhook-id': 'msg_theirs',
					'webhook-timestamp': String(now),
					'webhook-signature': library.sign('msg_theirs', new Date(now * 1000), body),
				};
				expect(verifyWebhook({ scheme, headers, body, secrets: [secret], now })).toEqual({
					ok: true,
					id: 'msg_theirs',
					timestamp: now,
				});
			}
		},
	);
});
