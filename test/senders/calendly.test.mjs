// The Calendly preset. Calendly publishes no library that verifies its webhooks, so its documented
// procedure is the reference (developer.calendly.com › API Docs › Webhooks › Webhook Signatures:
// `t=<time>,v1=<hex HMAC-SHA256 of "<time>.<body>">` in Calendly-Webhook-Signature, keyed with
// the signing key): deliveries.mjs signs as that page says, and Stripe's library, which checks the
// same `t=,v1=` format over `<time>.<body>`, judges each delivery beside ours.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { calendlyDelivery as delivery, fixture, SECRETS, stripe } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.calendly;
const ROTATED = 'b71e4c9a2f5d8e03c6a1f7b4d9e2a5c80f3b6d1e4a7c9f2b5e8d0a3c6f1b4e79';
const BODY = fixture('calendly-invitee.created');
const PARAMETERS = { scheme: 'calendly' };
// Calendly's documentation leaves the window to the receiver; the trigger's default is 300 s.
const TOLERANCE = 300;

const unixNow = () => Math.floor(Date.now() / 1000);

/** The documented check's verdict, as Stripe's implementation of the same format computes it. */
function referenceAccepts({ headers, body }, secret = SECRET) {
	try {
		stripe.webhooks.signature.verifyHeader(
			body,
			headers['Calendly-Webhook-Signature'],
			secret,
			TOLERANCE,
		);
		return true;
	} catch {
		return false;
	}
}

describe('Calendly, judged by its documented procedure (through the stripe library)', () => {
	it("accepts a delivery the documented check accepts, typed by the body's event", () => {
		const sent = delivery();
		assert.equal(referenceAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.equal(event.event, 'invitee.created');
		// The body has no "id": the run gets a made-up one.
		assert.equal(event.id, 'generated-1');
		assert.equal(event.data.email, 'renee@example.com');
		assert.equal(body.payload.name, 'Renée Dupont');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('The Q1 roadmap', 'Nothing') },
			'signature_mismatch',
		],
		['another signing key', delivery({ secret: ROTATED }), 'signature_mismatch'],
		['a stale timestamp', delivery({ timestamp: unixNow() - 600 }), 'timestamp_out_of_tolerance'],
		[
			'no Calendly-Webhook-Signature header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as the documented check does`, () => {
			assert.equal(referenceAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous signing key during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const sent = delivery({ secret });
			assert.equal(referenceAccepts(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
