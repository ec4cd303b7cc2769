import { Webhook } from 'standardwebhooks';

import { signWebhook, verifyWebhook, type SignatureScheme } from '../../../../lib/signing';

const scheme: SignatureScheme = { kind: 'standardWebhooks' };

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

	it('verifies bodies given as bytes exactly like strings', () => {
		expect(verifyVector({ body: Buffer.from(VECTOR.body) }).ok).toBe(true);
	});

	it.each([
		['the body', { body: '{"test": 2432232315}' }],
		['whitespace in the body', { body: '{"test":2432232314}' }],
		['the id', { headers: vectorHeaders({ 'webhook-id': 'msg_other' }) }],
		[
			'the timestamp',
			{ headers: vectorHeaders({ 'webhook-timestamp': String(VECTOR.timestamp + 1) }) },
		],
		['the secret', { secrets: ['whsec_' + Buffer.from('another secret').toString('base64')] }],
	])('rejects a change to %s as signature_mismatch', (_, overrides) => {
		expect(verifyVector(overrides)).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});
});

describe('Standard Webhooks: header handling', () => {
	it('reads header names case-insensitively', () => {
		const headers = {
			'Webhook-Id': VECTOR.id,
			'WEBHOOK-TIMESTAMP': String(VECTOR.timestamp),
			'Webhook-Signature': VECTOR.signature,
		};
		expect(verifyVector({ headers }).ok).toBe(true);
	});

	it('tries every signature in the header, when only the last one is valid', () => {
		const forged = 'v1,' + Buffer.alloc(32, 7).toString('base64');
		const headers = vectorHeaders({
			'webhook-signature': `${forged} v1a,abc v2,xyz ${VECTOR.signature}`,
		});
		expect(verifyVector({ headers }).ok).toBe(true);
	});

	it('accepts a signature made with the previous secret during a rotation', () => {
		expect(
			verifyVector({
				secrets: ['whsec_' + Buffer.from('new secret').toString('base64'), VECTOR.whsec],
			}).ok,
		).toBe(true);
	});

	it.each([
		['no signature header', 'missing_signature', { 'webhook-signature': undefined }],
		['an empty signature header', 'missing_signature', { 'webhook-signature': '  ' }],
		['no id header', 'malformed_signature', { 'webhook-id': undefined }],
		['no timestamp header', 'missing_timestamp', { 'webhook-timestamp': undefined }],
		[
			'a timestamp in milliseconds as text',
			'missing_timestamp',
			{ 'webhook-timestamp': '1614265330.5' },
		],
		['a negative timestamp', 'missing_timestamp', { 'webhook-timestamp': '-1614265330' }],
		['a non-numeric timestamp', 'missing_timestamp', { 'webhook-timestamp': 'yesterday' }],
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
			'a value that is not base64',
			'malformed_signature',
			{ 'webhook-signature': 'v1,not*base64!' },
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

	it('returns a human message that never contains the secret or the expected signature', () => {
		const result = verifyVector({ body: 'tampered' });
		expect(result.ok).toBe(false);
		const text = JSON.stringify(result);
		expect(text).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
		expect(text).not.toContain('g0hM9SsE');
		expect(result).toMatchObject({ message: expect.stringMatching(/\w+/) });
	});
});

describe('Standard Webhooks: replay window', () => {
	it.each([
		[-300, true],
		[300, true],
		[-301, false],
		[301, false],
	])('with the clock %i s from the timestamp, accepted is %s', (offset, accepted) => {
		const result = verifyVector({ now: VECTOR.timestamp - offset });
		expect(result.ok).toBe(accepted);
		if (!accepted) expect(result).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
	});

	it('honours a custom tolerance', () => {
		expect(verifyVector({ now: VECTOR.timestamp + 61, toleranceSeconds: 60 })).toMatchObject({
			reason: 'timestamp_out_of_tolerance',
		});
		expect(verifyVector({ now: VECTOR.timestamp + 60, toleranceSeconds: 60 }).ok).toBe(true);
	});

	it('checks the window against the real clock by default', () => {
		expect(verifyVector({ now: undefined })).toMatchObject({
			reason: 'timestamp_out_of_tolerance',
		});
	});
});

describe('Standard Webhooks: round trip with the reference library', () => {
	const base64Secret =
		'whsec_' + Buffer.from('a rather long shared secret, 32+').toString('base64');
	const rawSecret = 'plain-text secret without the prefix';
	const bodies = [
		'',
		'{"type":"flow.start","data":{"name":"Zoë ✓ 東京"}}',
		JSON.stringify({ big: 'x'.repeat(70_000) }),
	];

	it.each(bodies.map((body) => [body.length, body]))(
		'our signature verifies there (body of %i chars)',
		(_, body) => {
			const now = Math.floor(Date.now() / 1000);
			for (const [secret, library] of [
				[base64Secret, new Webhook(base64Secret)],
				[rawSecret, new Webhook(rawSecret, { format: 'raw' })],
			] as const) {
				const headers = signWebhook({ scheme, secret, body, id: 'msg_round_trip', timestamp: now });
				expect(() => library.verify(body, headers)).not.toThrow();
			}
		},
	);

	it.each(bodies.map((body) => [body.length, body]))(
		'their signature verifies here (body of %i chars)',
		(_, body) => {
			const now = Math.floor(Date.now() / 1000);
			for (const [secret, library] of [
				[base64Secret, new Webhook(base64Secret)],
				[rawSecret, new Webhook(rawSecret, { format: 'raw' })],
			] as const) {
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
