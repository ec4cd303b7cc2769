// The Zoom preset against Zoom's own library, @zoom/rivet (its AWS Lambda receiver, the one that
// takes a request as data): it checks x-zm-signature over `v0:<time>:<body>` with the Secret
// Token, then answers endpoint.url_validation itself. Zoom publishes no signer: deliveries are
// signed as its documentation says ("Webhooks › Verify webhook events"). @zoom/rivet checks no
// time, so stale timestamps are judged against the documentation alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AwsLambdaReceiver } from '@zoom/rivet/meetings';

import { fixture, SECRETS, zoomDelivery as delivery } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.zoom;
const ROTATED = 'Wq3nB8vT1kZx6Lc0Ps4HdJ';
const PARAMETERS = { scheme: 'zoom' };
const CHECK = JSON.stringify(JSON.parse(fixture('zoom-endpoint.url_validation')));

/** What @zoom/rivet answers a delivery: its status and JSON body. */
async function rivetAnswer({ headers, body }, secret = SECRET) {
	const handle = new AwsLambdaReceiver({ webhooksSecretToken: secret }).start();
	// The receiver prints every event it handles to console.debug.
	const debug = console.debug;
	console.debug = () => {};
	try {
		const answer = await handle({ headers, body, isBase64Encoded: false }, {});
		return { status: answer.statusCode, body: JSON.parse(answer.body) };
	} finally {
		console.debug = debug;
	}
}

const refusal = (outcome) => [outcome.answer.status, outcome.answer.body.error];

describe('Zoom, judged by @zoom/rivet', () => {
	it('accepts an event @zoom/rivet accepts, typed by its event', async () => {
		const sent = delivery();
		assert.equal((await rivetAnswer(sent)).status, 200);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.equal(outcome.events[0].event.event, 'meeting.started');
		assert.equal(outcome.events[0].body.payload.object.topic, 'Release review');
	});

	it("answers the endpoint's validation exactly as @zoom/rivet does, and starts no run", async () => {
		const sent = delivery({ body: CHECK });
		const theirs = await rivetAnswer(sent);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'handshake', JSON.stringify(outcome.answer));
		assert.deepEqual(outcome.answer, theirs);
		assert.equal(outcome.answer.body.plainToken, 'qgg8vlvZRS6UYooatFL8Aw');
		assert.match(outcome.answer.body.encryptedToken, /^[0-9a-f]{64}$/);
	});

	it('refuses a validation signed with another secret, as @zoom/rivet does', async () => {
		const sent = delivery({ body: CHECK, secret: ROTATED });
		assert.equal((await rivetAnswer(sent)).status, 400);
		assert.deepEqual(refusal(receiver(PARAMETERS, [SECRET])(sent)), [401, 'signature_mismatch']);
	});

	for (const [name, sent] of [
		['a tampered body', { ...delivery(), body: delivery().body.replace('Release', 'Secret') }],
		['another secret', delivery({ secret: ROTATED })],
	]) {
		it(`refuses ${name} as @zoom/rivet does`, async () => {
			assert.equal((await rivetAnswer(sent)).status, 400);
			assert.deepEqual(refusal(receiver(PARAMETERS, [SECRET])(sent)), [401, 'signature_mismatch']);
		});
	}

	it('refuses a delivery without x-zm-signature, as @zoom/rivet does', async () => {
		const { headers, body } = delivery();
		const unsigned = { headers: { ...headers }, body };
		delete unsigned.headers['x-zm-signature'];
		assert.equal((await rivetAnswer(unsigned)).status, 400);
		assert.deepEqual(refusal(receiver(PARAMETERS, [SECRET])(unsigned)), [401, 'missing_signature']);
	});

	it('refuses a stale timestamp, which @zoom/rivet leaves to the receiver', async () => {
		const sent = delivery({ timestamp: Math.floor(Date.now() / 1000) - 600 });
		assert.equal((await rivetAnswer(sent)).status, 200);
		assert.deepEqual(refusal(receiver(PARAMETERS, [SECRET])(sent)), [
			401,
			'timestamp_out_of_tolerance',
		]);
	});

	it('accepts events signed with the previous Secret Token during a rotation', async () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const sent = delivery({ secret });
			assert.equal((await rivetAnswer(sent, secret)).status, 200);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
