// Standard Webhooks against Svix's own library (`svix`), as Svix-powered senders (Clerk, Resend)
// send: svix-id, svix-timestamp and svix-signature, with the whsec_ secret their dashboards show.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Webhook } from 'svix';

import { fixture, SECRETS, svixDelivery as delivery } from './deliveries.mjs';
import { receiver, schemeFromParameters, signWebhook, NODE_VERSION } from './support.mjs';

const SECRET = SECRETS.svix;
const OTHER = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const PARAMETERS = { scheme: 'standardWebhooks' };
const SENDERS = [
	['Clerk', fixture('clerk-user.created'), 'user.created'],
	['Resend', fixture('resend-email.delivered'), 'email.delivered'],
];

function svixAccepts({ headers, body }, secret = SECRET) {
	try {
		new Webhook(secret).verify(body, headers);
		return true;
	} catch {
		return false;
	}
}

describe('Standard Webhooks, judged by the svix library', () => {
	for (const [sender, body, type] of SENDERS) {
		it(`accepts a ${sender} delivery under svix-* headers, named by svix-id`, () => {
			const sent = delivery(body);
			assert.equal(svixAccepts(sent), true);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
			const [{ event }] = outcome.events;
			assert.deepEqual([event.event, event.id], [type, sent.headers['svix-id']]);
		});
	}

	it("answers the sender's retry (same svix-id, new timestamp and signature) as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		const [, body] = SENDERS[0];
		assert.equal(receive(delivery(body, { id: 'msg_retried' })).kind, 'accepted');
		const retry = delivery(body, { id: 'msg_retried', at: new Date(Date.now() + 5000) });
		assert.equal(receive(retry).kind, 'duplicate');
	});

	const [, BODY] = SENDERS[0];
	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(BODY), body: BODY.replace('Example', 'Exemple') },
			'signature_mismatch',
		],
		['another secret', delivery(BODY, { secret: OTHER }), 'signature_mismatch'],
		[
			'a stale timestamp',
			delivery(BODY, { at: new Date(Date.now() - 600_000) }),
			'timestamp_out_of_tolerance',
		],
	]) {
		it(`refuses ${name} as svix does`, () => {
			assert.equal(svixAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('refuses a delivery missing svix-id, which is part of what is signed', () => {
		const { headers, body } = delivery(BODY);
		delete headers['svix-id'];
		assert.equal(svixAccepts({ headers, body }), false);
		assert.equal(
			receiver(PARAMETERS, [SECRET])({ headers, body }).answer.body.error,
			'malformed_signature',
		);
	});

	it('accepts the previous secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [OTHER, SECRET]);
		assert.equal(receive(delivery(BODY)).kind, 'accepted');
		assert.equal(receive(delivery(BODY, { secret: OTHER })).kind, 'accepted');
	});

	it("signs, as Notify's Standard Webhooks, what svix verifies", () => {
		const headers = signWebhook({
			scheme: schemeFromParameters(PARAMETERS, NODE_VERSION),
			secret: SECRET,
			body: BODY,
			id: 'msg_from_notify',
			timestamp: Math.floor(Date.now() / 1000),
		});
		assert.equal(svixAccepts({ headers, body: BODY }), true);
		assert.equal(svixAccepts({ headers, body: BODY }, OTHER), false);
	});
});
