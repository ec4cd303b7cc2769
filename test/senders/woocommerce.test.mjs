// The WooCommerce preset. WooCommerce publishes no client library that verifies its webhooks; its
// own sender is the reference (WC_Webhook::deliver and ::generate_signature in
// plugins/woocommerce/includes/class-wc-webhook.php: X-WC-Webhook-Signature is the base64
// HMAC-SHA256 of the JSON body, keyed with the webhook's secret; the topic, resource, event,
// webhook id and a delivery id travel in X-WC-Webhook-* headers): deliveries.mjs sends as it does,
// and `senderCheck` below recomputes the signature as it does. No timestamp is signed.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';

import { SECRETS, wooCommerceDelivery as delivery } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.wooCommerce;
const ROTATED = 'q9!Lm2@Vx7#Rt4$Kp0%Zw3^Jd8&Hs1*Gf6(Yb5';
const PARAMETERS = { scheme: 'wooCommerce' };

function senderCheck({ headers, body }, secret = SECRET) {
	const sent = Buffer.from(headers['X-WC-Webhook-Signature'] ?? '');
	const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64'));
	return sent.length === expected.length && timingSafeEqual(sent, expected);
}

function withoutSignature(sent) {
	delete sent.headers['X-WC-Webhook-Signature'];
	return sent;
}

describe("WooCommerce, judged by its own sender's signature", () => {
	it('accepts a delivery, typed by X-WC-Webhook-Topic and named by X-WC-Webhook-Delivery-ID (not the order id)', () => {
		const sent = delivery();
		assert.equal(senderCheck(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['order.created', sent.headers['X-WC-Webhook-Delivery-ID']],
		);
		// The body, sent with PHP's \u escapes, reads back as the text it encodes.
		assert.equal(body.billing.first_name, 'Renée');
	});

	it('answers the same delivery sent again as a duplicate, and another delivery about the same order as new', () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(delivery({ id: 'same' })).kind, 'accepted');
		assert.equal(receive(delivery({ id: 'same' })).kind, 'duplicate');
		assert.equal(receive(delivery({ id: 'other' })).kind, 'accepted');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			(({ body, ...rest }) => ({ ...rest, body: body.replace('29.00', '2.90') }))(delivery()),
			'signature_mismatch',
		],
		['another secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		['no X-WC-Webhook-Signature header', withoutSignature(delivery()), 'missing_signature'],
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
