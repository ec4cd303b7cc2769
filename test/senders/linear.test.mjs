// The Linear preset against Linear's own SDK (`@linear/sdk/webhooks`, LinearWebhookClient), whose
// `verify` checks the same deliveries: the signature over the body, then the body's own
// `webhookTimestamp` (Unix milliseconds), which must be within 60 s of the clock. The
// Linear-Timestamp header both ignore.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LinearWebhookClient } from '@linear/sdk/webhooks';

import { linearDelivery as delivery, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.linear;
const ROTATED = 'lin_wh_Pb7Nc2Xw5Zr8Jg1Fa4Qm9Yt3Lk6Vd0Hs2Ue5Ni8Tk1Ov4';
const PARAMETERS = { scheme: 'linear' };

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

/** The SDK's verdict on a delivery. */
function linearAccepts({ headers, body }, secret = SECRET) {
	try {
		return new LinearWebhookClient(secret).verify(Buffer.from(body), headers['Linear-Signature']);
	} catch {
		return false;
	}
}

describe('Linear, judged by @linear/sdk', () => {
	it("accepts a delivery the SDK verifies, typed by the body's type and named by Linear-Delivery", () => {
		const sent = delivery();
		assert.equal(linearAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual([event.event, event.id], ['Issue', sent.headers['Linear-Delivery']]);
		assert.equal(body.action, 'create');
	});

	it('answers a retry (same Linear-Delivery) as a duplicate', () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(delivery({ id: 'retried' })).kind, 'accepted');
		assert.equal(receive(delivery({ id: 'retried' })).kind, 'duplicate');
	});

	it('refuses a delivery whose webhookTimestamp is more than 60 s old, as the SDK does, whatever Linear-Timestamp says', () => {
		const stale = delivery({ sentAt: Date.now() - 90 * 1000 });
		stale.headers['Linear-Timestamp'] = String(Date.now());
		assert.equal(linearAccepts(stale), false);
		assert.deepEqual(refusal(receiver(PARAMETERS, [SECRET])(stale)), [
			401,
			'timestamp_out_of_tolerance',
		]);
	});

	it('accepts a delivery sent 30 s ago, as the SDK does', () => {
		const recent = delivery({ sentAt: Date.now() - 30 * 1000 });
		assert.equal(linearAccepts(recent), true);
		assert.equal(receiver(PARAMETERS, [SECRET])(recent).kind, 'accepted');
	});

	it('refuses a signed body without webhookTimestamp, as the SDK does', () => {
		const undated = delivery({ sentAt: null });
		assert.equal(linearAccepts(undated), false);
		assert.deepEqual(refusal(receiver(PARAMETERS, [SECRET])(undated)), [401, 'missing_timestamp']);
	});

	for (const [name, sent] of [
		[
			'a tampered body',
			(({ body, ...rest }) => ({ ...rest, body: body.replace('ENG-142', 'ENG-143') }))(delivery()),
		],
		['another secret', delivery({ secret: ROTATED })],
	]) {
		it(`refuses ${name} as the SDK does`, () => {
			assert.equal(linearAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual(
				[outcome.answer.status, outcome.answer.body.error],
				[401, 'signature_mismatch'],
			);
		});
	}

	it('refuses a delivery without Linear-Signature', () => {
		const sent = delivery();
		delete sent.headers['Linear-Signature'];
		assert.equal(linearAccepts(sent), false);
		assert.equal(receiver(PARAMETERS, [SECRET])(sent).answer.body.error, 'missing_signature');
	});

	it('accepts deliveries signed with the previous secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const sent = delivery({ secret });
			assert.equal(linearAccepts(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
