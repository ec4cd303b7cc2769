// The Twitch EventSub preset against @twurple/eventsub-http, whose middleware answers the same
// deliveries: its request handler is driven as an HTTP server would call it, so its answers (the
// challenge, 202, 410) and the notifications it hands its listener are the reference. Twitch
// publishes no signer: deliveries are signed as its documentation says (see deliveries.mjs).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it, mock } from 'node:test';

import { EventSubMiddleware } from '@twurple/eventsub-http';

import { fixture, SECRETS, twitchDelivery as delivery } from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

const SECRET = SECRETS.twitch;
const ROTATED = 'evsub-rotated-Hk2Pw9Rn4Ys6Jd';
const BODY = fixture('twitch-channel.follow');
const CHECK = fixture('twitch-webhook_callback_verification');
const REVOCATION = fixture('twitch-revocation');
const PARAMETERS = { scheme: 'twitch' };
const BROADCASTER = JSON.parse(BODY).subscription.condition.broadcaster_user_id;

/**
 * A twurple middleware with one `channel.follow` subscription, keyed with `secret`. `answer`
 * runs a delivery through its request handler and resolves to the HTTP answer it wrote and the
 * follows it handed the listener.
 */
function twurple(secret = SECRET) {
	const middleware = new EventSubMiddleware({
		managed: false,
		clientId: 'unused',
		hostName: 'n8n.example.com',
		secret,
		strictHostCheck: false,
		logger: { minLevel: 'critical' },
	});
	const follows = [];
	const subscription = middleware.onChannelFollow(BROADCASTER, BROADCASTER, (follow) =>
		follows.push(follow.userDisplayName),
	);
	const handle = middleware._createHandleRequest();
	return async ({ headers, body }) => {
		const request = Object.assign(Readable.from([Buffer.from(body)]), {
			headers: lowerCased(headers),
			params: { id: subscription.id },
			socket: { remoteAddress: '127.0.0.1' },
		});
		const answer = { headers: {} };
		const response = {
			setHeader: (name, value) => (answer.headers[name] = value),
			writeHead: (status) => (answer.status = status),
			end: (text) => (answer.body = text),
		};
		await handle(request, response, (error) => {
			throw error;
		});
		// The listener runs once the answer is written, as twurple answers before handling.
		await new Promise((resolve) => setImmediate(resolve));
		return { ...answer, follows: follows.splice(0) };
	};
}

// twurple forgets a message id 10 minutes after seeing it, on a timer that would keep this file
// running that long: its timers are mocked and never fire here.
before(() => mock.timers.enable({ apis: ['setTimeout'] }));
after(() => mock.timers.reset());

const minutesAgo = (minutes) =>
	new Date(Date.now() - minutes * 60_000).toISOString().replace('Z', '000000Z');

describe("Twitch's callback check (webhook_callback_verification), judged by @twurple/eventsub-http", () => {
	it('answers a signed check with the bare challenge as text, as twurple does, and starts no run', async () => {
		const sent = delivery({ body: CHECK, type: 'webhook_callback_verification' });
		const theirs = await twurple()(sent);
		assert.equal(theirs.status, 200);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'handshake', JSON.stringify(outcome.answer));
		assert.equal(outcome.answer.status, theirs.status);
		assert.equal(outcome.answer.body, theirs.body);
		assert.equal(theirs.body, JSON.parse(CHECK).challenge);
		assert.match(outcome.answer.headers['Content-Type'], /^text\/plain\b/);
		assert.match(theirs.headers['Content-Type'], /^text\/plain\b/);
	});

	it('refuses a check signed with another secret, as twurple does', async () => {
		const sent = delivery({ body: CHECK, type: 'webhook_callback_verification', secret: ROTATED });
		assert.equal((await twurple()(sent)).status, 410);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.deepEqual(
			[outcome.answer.status, outcome.answer.body.error],
			[401, 'signature_mismatch'],
		);
	});
});

describe('Twitch EventSub, judged by @twurple/eventsub-http', () => {
	it('accepts a notification twurple hands its listener, typed by its subscription and named by its message id', async () => {
		const sent = delivery({ id: 'a3f0c2d9-6b1e-4c7a-9f58-0e2d4b6c8a17' });
		assert.deepEqual((await twurple()(sent)).follows, ['Pixel_Piper']);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(
			[event.event, event.id],
			['channel.follow', 'a3f0c2d9-6b1e-4c7a-9f58-0e2d4b6c8a17'],
		);
		assert.equal(body.event.user_name, 'Pixel_Piper');
	});

	it("answers Twitch's resend of a message (same id, signed again) as a duplicate, as twurple drops it", async () => {
		const id = 'b7e2d4f1-0a9c-4e36-8d5b-1f7c3a9e2b60';
		const first = delivery({ id, timestamp: minutesAgo(1) });
		const resent = delivery({ id });
		const theirs = twurple();
		assert.deepEqual((await theirs(first)).follows, ['Pixel_Piper']);
		assert.deepEqual((await theirs(resent)).follows, []);
		const receive = receiver(PARAMETERS, [SECRET]);
		assert.equal(receive(first).kind, 'accepted');
		assert.equal(receive(resent).kind, 'duplicate');
	});

	it('answers a revocation 202 as twurple does; it starts a run, typed by the revoked subscription', async () => {
		const sent = delivery({ body: REVOCATION, type: 'revocation' });
		assert.equal((await twurple()(sent)).status, 202);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		assert.equal(outcome.answer.status, 202);
		assert.equal(outcome.events[0].body.subscription.status, 'authorization_revoked');
	});

	it('refuses a notification older than 10 minutes, which twurple does not hand its listener', async () => {
		const sent = delivery({ timestamp: minutesAgo(11) });
		assert.deepEqual((await twurple()(sent)).follows, []);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.deepEqual(
			[outcome.answer.status, outcome.answer.body.error],
			[401, 'timestamp_out_of_tolerance'],
		);
		// Nine minutes old is still in both windows.
		const recent = delivery({ timestamp: minutesAgo(9) });
		assert.deepEqual((await twurple()(recent)).follows, ['Pixel_Piper']);
		assert.equal(receiver(PARAMETERS, [SECRET])(recent).kind, 'accepted');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('Pixel_Piper', 'Someone_Else') },
			'signature_mismatch',
		],
		['another secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'a signed timestamp changed in transit',
			(() => {
				const signed = delivery();
				const headers = { ...signed.headers, 'Twitch-Eventsub-Message-Timestamp': minutesAgo(0) };
				return { ...signed, headers };
			})(),
			'signature_mismatch',
		],
		[
			'no Twitch-Eventsub-Message-Signature header',
			(() => {
				const { 'Twitch-Eventsub-Message-Signature': _, ...headers } = delivery().headers;
				return { headers, body: BODY };
			})(),
			'missing_signature',
		],
	]) {
		it(`refuses ${name}, as twurple does`, async () => {
			const theirs = await twurple()(sent);
			assert.deepEqual([theirs.status, theirs.follows], [410, []]);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('refuses a timestamp that is no RFC 3339 date-time as missing', () => {
		for (const timestamp of ['1777000000', '2026-02-30T10:00:00Z', 'yesterday']) {
			const outcome = receiver(PARAMETERS, [SECRET])(delivery({ timestamp }));
			assert.deepEqual(
				[outcome.answer.status, outcome.answer.body.error],
				[401, 'missing_timestamp'],
				timestamp,
			);
		}
	});

	it('accepts messages signed with the previous secret while the subscriptions move to the new one', async () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const secret of [ROTATED, SECRET]) {
			const sent = delivery({ secret });
			assert.deepEqual((await twurple(secret)(sent)).follows, ['Pixel_Piper']);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
