// The ElevenLabs preset against ElevenLabs' own SDK (`@elevenlabs/elevenlabs-js`), whose
// `webhooks.constructEvent` verifies the same deliveries and accepts a signature up to 30 minutes
// old: the preset keeps that window while the user sets no Timestamp Tolerance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';

import { elevenLabsDelivery as delivery, fixture, SECRETS } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.elevenLabs;
const ROTATED = 'wsec_3a8e1c6f9b2d5a7e0c4f8b1d6a9e3c7f2b5d8a0e4c9f1b6d';
const BODY = fixture('elevenlabs-post_call_transcription');
const PARAMETERS = { scheme: 'elevenLabs' };
const elevenLabs = new ElevenLabsClient({ apiKey: 'webhook-only' });

const unixNow = () => Math.floor(Date.now() / 1000);

/** The SDK's verdict on a delivery. */
async function elevenLabsAccepts({ headers, body }, secret = SECRET) {
	try {
		await elevenLabs.webhooks.constructEvent(body, headers['ElevenLabs-Signature'], secret);
		return true;
	} catch {
		return false;
	}
}

describe('ElevenLabs, judged by @elevenlabs/elevenlabs-js', () => {
	it("accepts a post-call delivery the SDK accepts, typed by the body's type", async () => {
		const sent = delivery();
		const parsed = await elevenLabs.webhooks.constructEvent(
			sent.body,
			sent.headers['ElevenLabs-Signature'],
			SECRET,
		);
		assert.equal(parsed.type, 'post_call_transcription');
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event }] = outcome.events;
		assert.equal(event.event, 'post_call_transcription');
		assert.equal(event.data.conversation_id, 'conv_8201kbz8a1c3e5g7j9k2m4p6r8');
		// The body has no "id": the run gets a made-up one.
		assert.equal(event.id, 'generated-1');
	});

	it("keeps the SDK's 30-minute window while Timestamp Tolerance is left out, and the user's when set", async () => {
		const late = delivery({ timestamp: unixNow() - 20 * 60 });
		assert.equal(await elevenLabsAccepts(late), true);
		assert.equal(receiver(PARAMETERS, [SECRET])(late).kind, 'accepted');
		const chosen = receiver(PARAMETERS, [SECRET], { options: { toleranceSeconds: 300 } })(late);
		assert.equal(chosen.answer.body.error, 'timestamp_out_of_tolerance');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('Friday at 10:00', 'Monday at 10:00') },
			'signature_mismatch',
		],
		['another secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'a timestamp older than 30 minutes',
			delivery({ timestamp: unixNow() - 31 * 60 }),
			'timestamp_out_of_tolerance',
		],
		[
			'no ElevenLabs-Signature header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name} as the SDK does`, async () => {
			assert.equal(await elevenLabsAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous secret during a rotation', async () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const sent = delivery({ secret });
			assert.equal(await elevenLabsAccepts(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
