// Stripe Style against Stripe's own library (`stripe`): it signs the deliveries as Stripe does,
// with a secret shaped as the dashboard hands it out, and verifies what Notify signs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import Stripe from 'stripe';

import { receiver, schemeFromParameters, signWebhook, NODE_VERSION } from './support.mjs';

const stripe = new Stripe('sk_test_51NotARealKeyButTheLibraryWantsOne00000000000000000000000000');
// Shaped as the dashboard shows one: "whsec_" and 32 letters and digits.
const SECRET = 'whsec_Wb2qJ6N4ZcT8xKp3Lm9R7vDf1Hs5Ga0E';
const ROTATED = 'whsec_Yq4Tn8Bv2Xc6Zm1Lk5Jh9Gf3Ds7Ap0Wq';
const BODY = readFileSync(
	new URL('fixtures/stripe-payment_intent.succeeded.json', import.meta.url),
	'utf8',
);
const PARAMETERS = { scheme: 'stripe' };

/** A delivery as Stripe sends it: its library writes the Stripe-Signature header. */
function delivery({
	secret = SECRET,
	body = BODY,
	timestamp = Math.floor(Date.now() / 1000),
} = {}) {
	const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
	return {
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': signature },
		body,
	};
}

/** Stripe's own verdict on a delivery. */
function stripeAccepts({ headers, body }, secret = SECRET) {
	try {
		stripe.webhooks.constructEvent(body, headers['Stripe-Signature'], secret);
		return true;
	} catch {
		return false;
	}
}

describe('Stripe Style, judged by the stripe library', () => {
	it('accepts a real delivery with the secret pasted as Stripe shows it, and reads its type and id', () => {
		const sent = delivery();
		assert.equal(stripeAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted');
		const [{ event }] = outcome.events;
		assert.equal(event.event, 'payment_intent.succeeded');
		assert.equal(event.id, 'evt_3QYxQ2LkdIwHu7ix0u2Rh7Zb');
		assert.deepEqual(outcome.answer, { status: 202, body: { received: true, id: event.id } });
	});

	it("answers Stripe's retry of the same event as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(delivery()).kind, 'accepted');
		const retry = receive(delivery());
		assert.equal(retry.kind, 'duplicate');
		assert.deepEqual(retry.answer, { status: 200, body: { received: true, duplicate: true } });
	});

	for (const [name, sent, reason] of [
		['a tampered body', { ...delivery(), body: BODY.replace('2000', '20') }, 'signature_mismatch'],
		['another secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'a stale timestamp',
			delivery({ timestamp: Math.floor(Date.now() / 1000) - 600 }),
			'timestamp_out_of_tolerance',
		],
		[
			'no Stripe-Signature header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name} as Stripe's library does`, () => {
			assert.equal(stripeAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.equal(outcome.answer.status, 401);
			assert.equal(outcome.answer.body.error, reason);
		});
	}

	it('accepts deliveries signed with the previous secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		assert.equal(receive(delivery({ secret: SECRET })).kind, 'accepted');
		const other = JSON.stringify({ ...JSON.parse(BODY), id: 'evt_rotated' });
		assert.equal(receive(delivery({ secret: ROTATED, body: other })).kind, 'accepted');
	});

	it('refuses real deliveries on a version 1 node, which base64-decodes a whsec_ secret', () => {
		const outcome = receiver(PARAMETERS, [SECRET], { nodeVersion: 1 })(delivery());
		assert.equal(outcome.answer.body.error, 'signature_mismatch');
	});

	it("signs, as Notify's Stripe Style, what Stripe's library accepts", () => {
		const scheme = schemeFromParameters(PARAMETERS, NODE_VERSION);
		const headers = signWebhook({
			scheme,
			secret: SECRET,
			body: BODY,
			id: 'evt_1',
			timestamp: Math.floor(Date.now() / 1000),
		});
		const event = stripe.webhooks.constructEvent(BODY, headers['Stripe-Signature'], SECRET);
		assert.equal(event.type, 'payment_intent.succeeded');
	});
});
