// The Mux preset against Mux's own library (`@mux/mux-node`), which verifies the same deliveries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Mux from '@mux/mux-node';

import { fixture, muxDelivery as delivery, SECRETS } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const SECRET = SECRETS.mux;
const BODY = fixture('mux-video.asset.ready');
const PARAMETERS = { scheme: 'mux' };
const mux = new Mux({ tokenId: 'unused', tokenSecret: 'unused', webhookSecret: SECRET });

async function muxAccepts({ headers, body }, secret = SECRET) {
	try {
		await mux.webhooks.verifySignature(body, lowerCased(headers), secret);
		return true;
	} catch {
		return false;
	}
}

describe('Mux, judged by @mux/mux-node', () => {
	it('accepts a delivery Mux verifies, with the type and id of its body', async () => {
		const sent = delivery();
		assert.equal(await muxAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['video.asset.ready', '3a56ac3d-33da-4366-855b-f592d898409d'],
		);
	});

	it("answers Mux's retry of the same event as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(delivery()).kind, 'accepted');
		assert.equal(receive(delivery()).kind, 'duplicate');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('ready', 'errored') },
			'signature_mismatch',
		],
		['another secret', delivery({ secret: 'another-mux-secret' }), 'signature_mismatch'],
		[
			'a stale timestamp',
			delivery({ timestamp: Math.floor(Date.now() / 1000) - 600 }),
			'timestamp_out_of_tolerance',
		],
	]) {
		it(`refuses ${name} as Mux's library does`, async () => {
			assert.equal(await muxAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('refuses a delivery without Mux-Signature', async () => {
		const sent = { headers: { 'Content-Type': 'application/json' }, body: BODY };
		assert.equal(await muxAccepts(sent), false);
		assert.equal(receiver(PARAMETERS, [SECRET])(sent).answer.body.error, 'missing_signature');
	});
});
