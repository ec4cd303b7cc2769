// The Cal.com preset. Cal.com publishes no client library that verifies its webhooks; its own
// sender is the reference (createWebhookSignature and _sendPayload in
// packages/features/webhooks/lib/sendPayload.ts: X-Cal-Signature-256 is the hex HMAC-SHA256 of
// the body, keyed with the webhook's secret): deliveries.mjs sends as it does, and `senderCheck`
// below recomputes the signature as it does. No timestamp is signed.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';

import { calComDelivery as delivery, fixture, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.calCom;
const ROTATED = 'cal-webhook-secret-previous-M1x6';
const BODY = fixture('calcom-BOOKING_CREATED');
const PARAMETERS = { scheme: 'calCom' };
// Cal.com names the event in "triggerEvent", which no automatic type field covers.

function senderCheck({ headers, body }, secret = SECRET) {
	const sent = Buffer.from(headers['X-Cal-Signature-256'] ?? '');
	const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
	return sent.length === expected.length && timingSafeEqual(sent, expected);
}

describe("Cal.com, judged by its own sender's signature", () => {
	it('accepts a delivery typed by its triggerEvent with the options left as they are', () => {
		const sent = delivery();
		assert.equal(senderCheck(sent), true);
		const typed = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(typed.kind, 'accepted', JSON.stringify(typed.answer));
		assert.equal(typed.events[0].event.event, 'BOOKING_CREATED');
		assert.equal(typed.events[0].body.payload.uid, 'bFJeNb2uX8ANpT3JL5EfXw');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('09:00:00Z', '10:00:00Z') },
			'signature_mismatch',
		],
		['another secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		// What Cal.com sends for a webhook without a secret.
		[
			'an unsigned delivery',
			{
				...delivery(),
				headers: {
					'Content-Type': 'application/json',
					'X-Cal-Signature-256': 'no-secret-provided',
				},
			},
			'malformed_signature',
		],
		[
			'no X-Cal-Signature-256 header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as the sender's signature says`, () => {
			assert.equal(senderCheck(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const sent = delivery({ secret });
			assert.equal(senderCheck(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
