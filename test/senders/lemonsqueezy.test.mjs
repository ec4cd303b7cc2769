// The Lemon Squeezy preset. Lemon Squeezy publishes no library that verifies its webhooks, so its
// documented procedure is the reference (docs.lemonsqueezy.com › Webhooks › Signing requests:
// X-Signature is the hex HMAC-SHA256 of the body, keyed with the webhook's signing secret; the
// event is in X-Event-Name): deliveries.mjs signs as that page says, and `documentedCheck` below
// checks as it says. Lemon Squeezy signs no timestamp, so there is no stale case.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';

import { fixture, lemonSqueezyDelivery as delivery, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.lemonSqueezy;
const ROTATED = 'ls-signing-secret-previous-P2w7';
const BODY = fixture('lemonsqueezy-order_created');
const PARAMETERS = { scheme: 'lemonSqueezy' };

function documentedCheck({ headers, body }, secret = SECRET) {
	const sent = Buffer.from(headers['X-Signature'] ?? '', 'hex');
	const expected = createHmac('sha256', secret).update(body).digest();
	return sent.length === expected.length && timingSafeEqual(sent, expected);
}

describe('Lemon Squeezy, judged by its documented procedure', () => {
	it('accepts a delivery the documented check accepts, typed by X-Event-Name', () => {
		const sent = delivery();
		assert.equal(documentedCheck(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.equal(event.event, 'order_created');
		assert.equal(body.data.attributes.total_formatted, '€29.00');
		// Neither a header nor the body's top level names the delivery: the run gets a made-up id.
		assert.equal(event.id, 'generated-1');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('"total": 2900', '"total": 29') },
			'signature_mismatch',
		],
		['another signing secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'no X-Signature header',
			{
				headers: { 'Content-Type': 'application/json', 'X-Event-Name': 'order_created' },
				body: BODY,
			},
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as the documented check does`, () => {
			assert.equal(documentedCheck(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous signing secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const sent = delivery({ secret });
			assert.equal(documentedCheck(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
