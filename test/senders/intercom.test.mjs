// The Intercom preset. Intercom publishes no library that verifies its webhooks, so its documented
// procedure is the reference (developers.intercom.com › Webhooks › Signed notifications:
// X-Hub-Signature is `sha1=` and the hex HMAC-SHA1 of the body, keyed with the app's client
// secret): deliveries.mjs signs as that page says, and `documentedCheck` below checks as it says.
// Intercom signs no timestamp, so there is no stale case.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';

import { fixture, intercomDelivery as delivery, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.intercom;
const ROTATED = '0a7c3e9b1d5f8a2c6e4b0d9f3a7c1e5b8d2f6a0c';
const BODY = fixture('intercom-conversation.user.created');
const PARAMETERS = { scheme: 'intercom' };
// Intercom names the event in "topic"; its "type" is always "notification_event".

function documentedCheck({ headers, body }, secret = SECRET) {
	const sent = Buffer.from(headers['X-Hub-Signature'] ?? '');
	const expected = Buffer.from(`sha1=${createHmac('sha1', secret).update(body).digest('hex')}`);
	return sent.length === expected.length && timingSafeEqual(sent, expected);
}

describe('Intercom, judged by its documented procedure', () => {
	it('accepts a delivery the documented check accepts, typed by its topic and named by its id', () => {
		const sent = delivery();
		assert.equal(documentedCheck(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.deepEqual(
			[outcome.events[0].event.event, outcome.events[0].event.id],
			['conversation.user.created', 'notif_4f1c2a9e-7b3d-4e8a-b6c5-1d0f7e9a3b2c'],
		);
		const byType = receiver(PARAMETERS, [SECRET], { options: { eventTypeField: 'type' } })(sent);
		assert.equal(byType.events[0].event.event, 'notification_event');
	});

	it("answers Intercom's retry of the same notification as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(delivery()).kind, 'accepted');
		assert.equal(receive(delivery()).kind, 'duplicate');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('Friday', 'Monday') },
			'signature_mismatch',
		],
		['another client secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'no X-Hub-Signature header',
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

	it('accepts deliveries signed with the previous client secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const body = BODY.replace('notif_4f1c', `notif_${secret.slice(0, 4)}`);
			const sent = delivery({ secret, body });
			assert.equal(documentedCheck(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
