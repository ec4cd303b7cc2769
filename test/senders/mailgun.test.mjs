// The Mailgun preset. Mailgun's npm library (mailgun.js 14.0.1) only calls its API and verifies no
// webhook; the reference is the procedure Mailgun documents ("Webhooks › Securing Webhooks",
// documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks), which its PHP
// library follows too (mailgun-php, Api/Webhook::verifyWebhookSignature): the hex HMAC-SHA256 of
// the body's signature.timestamp followed by signature.token, keyed with the HTTP webhook signing
// key as text, must equal signature.signature. Its two optional steps are part of `documentedCheck`
// below: a timestamp not too far from the clock (here the trigger's default, 300 s, as Mailgun
// names no window) and a token not seen before. `event-data` is not signed.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';

import { fixture, mailgunDelivery as delivery, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const KEY = SECRETS.mailgun;
const ROTATED = 'key-0d4b7e2a9c6f1d3b5e8a0c2f4d6b8e1a';
const PARAMETERS = { scheme: 'mailgun' };
const WINDOW_SECONDS = 300;
const unixNow = () => Math.floor(Date.now() / 1000);

/** Mailgun's documented check, with its optional steps: `seen` holds the tokens already honoured. */
function documentedCheck({ body }, key = KEY, seen = new Set()) {
	const { signature } = JSON.parse(body);
	if (!signature?.timestamp || !signature.token || !signature.signature) return false;
	const expected = Buffer.from(
		createHmac('sha256', key).update(`${signature.timestamp}${signature.token}`).digest('hex'),
	);
	const sent = Buffer.from(signature.signature);
	if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return false;
	if (Math.abs(unixNow() - Number(signature.timestamp)) > WINDOW_SECONDS) return false;
	if (seen.has(signature.token)) return false;
	seen.add(signature.token);
	return true;
}

/** The delivery with its signature object changed: the body as someone other than Mailgun sends it. */
function withSignature(sent, change) {
	const body = JSON.parse(sent.body);
	return { ...sent, body: JSON.stringify({ ...body, signature: change(body.signature) }) };
}

describe('Mailgun, judged by its documented check', () => {
	it('accepts a delivery Mailgun signs, typed and named by its event-data', () => {
		const sent = delivery();
		assert.equal(documentedCheck(sent), true);
		const outcome = receiver(PARAMETERS, [KEY])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event }] = outcome.events;
		assert.deepEqual([event.event, event.id], ['delivered', 'CPgfbmQMTCKtHW6uIWtuVe']);
	});

	it('accepts a signing key before its rotation while the new one is the current', () => {
		const sent = delivery({ secret: ROTATED });
		assert.equal(documentedCheck(sent, ROTATED), true);
		assert.equal(receiver(PARAMETERS, [KEY, ROTATED])(sent).kind, 'accepted');
	});

	it("accepts the timestamp as a JSON number (the type the docs' table gives) as well as text", () => {
		const sent = delivery({ timestamp: unixNow() });
		assert.equal(documentedCheck(sent), true);
		assert.equal(receiver(PARAMETERS, [KEY])(sent).kind, 'accepted');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered token',
			withSignature(delivery(), (signature) => ({
				...signature,
				token: `x${signature.token.slice(1)}`,
			})),
			'signature_mismatch',
		],
		[
			'a tampered timestamp',
			withSignature(delivery(), (signature) => ({
				...signature,
				timestamp: String(Number(signature.timestamp) - 1),
			})),
			'signature_mismatch',
		],
		['another signing key', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'a stale timestamp',
			delivery({ timestamp: String(unixNow() - 600) }),
			'timestamp_out_of_tolerance',
		],
		[
			'a delivery without its signature object',
			withSignature(delivery(), () => undefined),
			'missing_signature',
		],
		[
			'a signature object without its token',
			withSignature(delivery(), ({ token, ...rest }) => rest),
			'malformed_signature',
		],
	]) {
		it(`refuses ${name} as the documented check does`, () => {
			assert.equal(documentedCheck(sent), false);
			const outcome = receiver(PARAMETERS, [KEY])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('starts no run for a replay of the same delivery', () => {
		const sent = delivery();
		const seen = new Set();
		assert.deepEqual(
			[documentedCheck(sent, KEY, seen), documentedCheck(sent, KEY, seen)],
			[true, false],
		);
		const receive = receiver(PARAMETERS, [KEY]);
		assert.equal(receive(sent).kind, 'accepted');
		assert.equal(receive(sent).kind, 'duplicate');
	});

	it('starts no run for its signature replayed with other event-data, which it does not sign', () => {
		const sent = delivery();
		const forged = {
			...sent,
			body: JSON.stringify({
				...JSON.parse(sent.body),
				'event-data': {
					...JSON.parse(fixture('mailgun-delivered')),
					id: 'forged',
					event: 'failed',
				},
			}),
		};
		const seen = new Set();
		// The signature alone cannot tell: only the remembered token can.
		assert.equal(documentedCheck(forged), true);
		assert.deepEqual(
			[documentedCheck(sent, KEY, seen), documentedCheck(forged, KEY, seen)],
			[true, false],
		);
		const receive = receiver(PARAMETERS, [KEY]);
		assert.equal(receive(sent).kind, 'accepted');
		const replayed = receive(forged);
		assert.deepEqual([replayed.kind, replayed.answer.status], ['duplicate', 200]);
	});

	it('drops the same event signed again under a new token, by its event-data id', () => {
		const receive = receiver(PARAMETERS, [KEY]);
		assert.equal(receive(delivery()).kind, 'accepted');
		assert.equal(receive(delivery()).kind, 'duplicate');
	});
});
