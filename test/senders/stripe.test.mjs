// Stripe Style against Stripe's own library (`stripe`): it signs the deliveries as Stripe does,
// with a secret shaped as the dashboard hands it out, and verifies what Notify signs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fixture, SECRETS, stripe, stripeDelivery as delivery } from './deliveries.mjs';
import { receiver, schemeFromParameters, signWebhook, NODE_VERSION } from './support.mjs';

const SECRET = SECRETS.stripe;
const ROTATED = 'whsec_Yq4Tn8Bv2Xc6Zm1Lk5Jh9Gf3Ds7Ap0Wq';
const BODY = fixture('stripe-payment_intent.succeeded');
const PARAMETERS = { scheme: 'stripe' };

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

describe('Custom HMAC started from Stripe Style under another header, judged by the stripe library', () => {
	// A sender that forks Stripe's scheme and only renames the header: the user picks Start From
	// Stripe Style and fills in Signature Header alone, every other field left as the editor leaves it.
	const FORK = {
		scheme: 'customHmac',
		startFrom: 'stripe',
		signatureHeader: 'Acme-Signature',
		algorithm: 'preset',
		encoding: 'preset',
		idHeader: '',
		secretEncoding: 'preset',
	};
	/** What the stripe library signs, sent under the fork's header name. */
	function forked(sent) {
		const { 'Stripe-Signature': signature, ...others } = sent.headers;
		return { ...sent, headers: { ...others, 'Acme-Signature': signature } };
	}
	const forkAccepts = ({ headers, body }) =>
		stripeAccepts({ headers: { 'Stripe-Signature': headers['Acme-Signature'] }, body });

	it('accepts what Stripe signs, sent under the renamed header, and reads its type and id', () => {
		const sent = forked(delivery());
		assert.equal(forkAccepts(sent), true);
		const outcome = receiver(FORK, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted');
		const [{ event }] = outcome.events;
		assert.equal(event.event, 'payment_intent.succeeded');
		assert.equal(event.id, 'evt_3QYxQ2LkdIwHu7ix0u2Rh7Zb');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			forked({ ...delivery(), body: BODY.replace('2000', '20') }),
			'signature_mismatch',
		],
		['another secret', forked(delivery({ secret: ROTATED })), 'signature_mismatch'],
		[
			'a stale timestamp',
			forked(delivery({ timestamp: Math.floor(Date.now() / 1000) - 600 })),
			'timestamp_out_of_tolerance',
		],
	]) {
		it(`refuses ${name} as Stripe's library does`, () => {
			assert.equal(forkAccepts(sent), false);
			const outcome = receiver(FORK, [SECRET])(sent);
			assert.equal(outcome.answer.body.error, reason);
		});
	}

	it("refuses a delivery under Stripe's own header name, which the fork no longer reads", () => {
		const outcome = receiver(FORK, [SECRET])(delivery());
		assert.equal(outcome.answer.status, 401);
		assert.equal(outcome.answer.body.error, 'missing_signature');
	});
});
