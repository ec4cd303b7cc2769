// The Typeform preset. Typeform publishes no library that verifies its webhooks, so its documented
// procedure is the reference (typeform.com/developers › Webhooks › Secure your webhooks:
// Typeform-Signature is `sha256=` and the base64 HMAC-SHA256 of the body, keyed with the secret
// set on the webhook): deliveries.mjs signs as that page says, and `documentedCheck` below checks
// as it says. Typeform signs no timestamp, so there is no stale case.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';

import { fixture, SECRETS, typeformDelivery as delivery } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.typeform;
const ROTATED = 'tf-webhook-secret-previous-2Kd8';
const BODY = fixture('typeform-form_response');
const PARAMETERS = { scheme: 'typeform' };

function documentedCheck({ headers, body }, secret = SECRET) {
	const sent = Buffer.from(headers['Typeform-Signature'] ?? '');
	const expected = Buffer.from(
		`sha256=${createHmac('sha256', secret).update(body).digest('base64')}`,
	);
	return sent.length === expected.length && timingSafeEqual(sent, expected);
}

describe('Typeform, judged by its documented procedure', () => {
	it('accepts a delivery the documented check accepts, typed by event_type and named by event_id', () => {
		const sent = delivery();
		assert.equal(documentedCheck(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.equal(outcome.events[0].event.event, 'form_response');
		assert.equal(outcome.events[0].event.id, '01JEQ5B2Z7K9M3N6P8R1T4V7X0');
	});

	it("answers Typeform's retry as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(delivery()).kind, 'accepted');
		assert.equal(receive(delivery()).kind, 'duplicate');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('Morning', 'Evening') },
			'signature_mismatch',
		],
		['another secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'no Typeform-Signature header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as the documented check does`, () => {
			assert.equal(documentedCheck(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const [index, secret] of [ROTATED, SECRET].entries()) {
			const body = BODY.replace('01JEQ5B2Z7K9M3N6P8R1T4V7X0', `01JEQROTATION${index}`);
			const sent = delivery({ secret, body });
			assert.equal(documentedCheck(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
