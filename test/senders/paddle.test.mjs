// The Paddle Billing preset against Paddle's own SDK (`@paddle/paddle-node-sdk`), which verifies
// the same deliveries with `webhooks.unmarshal`, and refuses a signature more than 5 s old: the
// preset keeps that window while the user sets no Timestamp Tolerance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Paddle } from '@paddle/paddle-node-sdk';

import { fixture, paddleDelivery as delivery, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.paddle;
const ROTATED = 'pdl_ntfset_01jeq4w1f5c8k2m6p9r3t7v0xz_Hd5Wq8Ne1Ku7Zb4Ty2Mx6Lc9Gp3Sv0Rj';
const BODY = fixture('paddle-customer.created');
const PARAMETERS = { scheme: 'paddle' };
// Paddle's id of the event, for Options › Event ID Field.
const paddle = new Paddle('pdl_sdbx_apikey_not_used_offline');

const unixNow = () => Math.floor(Date.now() / 1000);

/** The SDK's verdict on a delivery. */
async function paddleAccepts({ headers, body }, secret = SECRET) {
	try {
		await paddle.webhooks.unmarshal(body, secret, headers['Paddle-Signature']);
		return true;
	} catch {
		return false;
	}
}

describe('Paddle Billing, judged by @paddle/paddle-node-sdk', () => {
	it('accepts a delivery the SDK unmarshals, typed by event_type and named by event_id', async () => {
		const sent = delivery();
		const event = await paddle.webhooks.unmarshal(
			sent.body,
			SECRET,
			sent.headers['Paddle-Signature'],
		);
		assert.equal(event.eventType, 'customer.created');
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event: ours, body }] = outcome.events;
		assert.equal(ours.event, 'customer.created');
		assert.equal(body.data.email, 'renee@example.com');
		assert.equal(ours.id, 'evt_01jeq4x7m2c9v3n8b5k6t1r0pz');
	});

	it("with Event ID Field event_id, names it by Paddle's event id and answers a retry as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		const outcome = receive(delivery());
		assert.equal(outcome.events[0].event.id, 'evt_01jeq4x7m2c9v3n8b5k6t1r0pz');
		assert.equal(receive(delivery()).kind, 'duplicate');
	});

	it("keeps the SDK's 5 s window while Timestamp Tolerance is left out, and the user's when set", async () => {
		const late = delivery({ timestamp: unixNow() - 30 });
		assert.equal(await paddleAccepts(late), false);
		const outcome = receiver(PARAMETERS, [SECRET])(late);
		assert.deepEqual(
			[outcome.answer.status, outcome.answer.body.error],
			[401, 'timestamp_out_of_tolerance'],
		);
		assert.match(outcome.answer.body.message, /more than 5 seconds/);
		const chosen = receiver(PARAMETERS, [SECRET], { options: { toleranceSeconds: 60 } });
		assert.equal(chosen(late).kind, 'accepted');
		// Within the window both accept.
		const recent = delivery({ timestamp: unixNow() - 3 });
		assert.equal(await paddleAccepts(recent), true);
		assert.equal(receiver(PARAMETERS, [SECRET])(recent).kind, 'accepted');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('renee@', 'mallory@') },
			'signature_mismatch',
		],
		['another secret key', delivery({ secret: ROTATED }), 'signature_mismatch'],
		['a stale timestamp', delivery({ timestamp: unixNow() - 600 }), 'timestamp_out_of_tolerance'],
		[
			'no Paddle-Signature header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name} as the SDK does`, async () => {
			assert.equal(await paddleAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous secret key during a rotation', async () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const [index, secret] of [ROTATED, SECRET].entries()) {
			const body = BODY.replace('evt_01jeq4x7m2c9v3n8b5k6t1r0pz', `evt_rotation_${index}`);
			const sent = delivery({ secret, body });
			assert.equal(await paddleAccepts(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
