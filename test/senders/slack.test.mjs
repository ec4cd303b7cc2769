// The Slack preset against Slack's own Bolt library (`@slack/bolt` `isValidSlackRequest`), which
// verifies the same deliveries: Events API JSON and a slash command's form, signed as sent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';

import { fixture, SECRETS, SLACK_SLASH_COMMAND, slackDelivery as delivery } from './deliveries.mjs';
import { receiver } from './support.mjs';

const SECRET = SECRETS.slack;
const ROTATED = '2d7b9e1f4c6a8e0b3d5f7a9c1e3b5d70';
const BODY = fixture('slack-event_callback.app_mention');
const PARAMETERS = { scheme: 'slack' };
// Where a Slack event keeps its own type and id, for Options › Event Type Field and Event ID Field.

/** Bolt's verdict on a delivery, with the headers as Node's HTTP server names them. */
function slackAccepts({ headers, body }, secret = SECRET) {
	return isValidSlackRequest({
		signingSecret: secret,
		body,
		headers: {
			'x-slack-signature': headers['X-Slack-Signature'],
			'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
		},
	});
}

/** What Bolt's HTTP receiver answers a body it found to be Slack's URL check. */
function boltUrlVerificationAnswer(body) {
	const answer = {};
	HTTPModuleFunctions.buildUrlVerificationResponse(
		{
			writeHead: (status, headers) => Object.assign(answer, { status, headers }),
			end: (text) => Object.assign(answer, { body: JSON.parse(text) }),
		},
		JSON.parse(body),
	);
	return answer;
}

describe("Slack's URL check (url_verification), judged by @slack/bolt", () => {
	const CHECK = fixture('slack-url_verification');

	it('answers a signed check with its challenge exactly as Bolt does, and starts no run', () => {
		const sent = delivery({ body: CHECK });
		assert.equal(slackAccepts(sent), true);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'handshake', JSON.stringify(outcome.answer));
		const bolt = boltUrlVerificationAnswer(CHECK);
		assert.deepEqual(outcome.answer, { status: bolt.status, body: bolt.body });
		assert.deepEqual(bolt.body, { challenge: JSON.parse(CHECK).challenge });
	});

	it('refuses a check signed with another secret, as Bolt does', () => {
		const sent = delivery({ body: CHECK, secret: ROTATED });
		assert.equal(slackAccepts(sent), false);
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.deepEqual(
			[outcome.answer.status, outcome.answer.body.error],
			[401, 'signature_mismatch'],
		);
	});

	it('takes an event whose type is not url_verification as an event', () => {
		const outcome = receiver(PARAMETERS, [SECRET])(
			delivery({ body: JSON.stringify({ ...JSON.parse(CHECK), type: 'url_verified' }) }),
		);
		assert.equal(outcome.kind, 'accepted');
	});
});

describe('Slack, judged by @slack/bolt', () => {
	it("accepts an Events API delivery Bolt accepts; Event Type Field names the envelope's type instead of the event's", () => {
		const sent = delivery();
		assert.equal(slackAccepts(sent), true);
		const byEnvelope = receiver(PARAMETERS, [SECRET], { options: { eventTypeField: 'type' } });
		const outcome = byEnvelope(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual([event.event, event.id], ['event_callback', 'Ev0A1B2C3D4E']);
		assert.equal(body.event.type, 'app_mention');
	});

	it("reads the event's own type and id with the options left as they are, and answers Slack's retry as a duplicate", () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		const outcome = receive(delivery());
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event }] = outcome.events;
		assert.deepEqual([event.event, event.id], ['app_mention', 'Ev0A1B2C3D4E']);
		// A retry is signed again, with a new timestamp and X-Slack-Retry-Num.
		const retry = delivery({ timestamp: Math.floor(Date.now() / 1000) + 1 });
		retry.headers['X-Slack-Retry-Num'] = '1';
		retry.headers['X-Slack-Retry-Reason'] = 'http_timeout';
		assert.equal(slackAccepts(retry), true);
		assert.equal(receive(retry).kind, 'duplicate');
	});

	it("verifies a slash command's form as the bytes received", () => {
		const sent = delivery({ body: SLACK_SLASH_COMMAND, form: true });
		assert.equal(slackAccepts(sent), true);
		const typed = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(typed.kind, 'accepted', JSON.stringify(typed.answer));
		assert.equal(typed.events[0].event.event, '/deploy');
		assert.equal(typed.events[0].body.text, 'web-app to production');
		// The same form encoded another way ("%20" for "+") is other bytes: both refuse it.
		const reencoded = { ...sent, body: sent.body.replaceAll('+', '%20') };
		assert.equal(slackAccepts(reencoded), false);
		assert.equal(receiver(PARAMETERS, [SECRET])(reencoded).answer.body.error, 'signature_mismatch');
	});

	for (const [name, sent, reason] of [
		[
			'a tampered body',
			{ ...delivery(), body: BODY.replace('is the release ready?', 'ship it') },
			'signature_mismatch',
		],
		['another secret', delivery({ secret: ROTATED }), 'signature_mismatch'],
		[
			'a stale timestamp',
			delivery({ timestamp: Math.floor(Date.now() / 1000) - 600 }),
			'timestamp_out_of_tolerance',
		],
		[
			'no X-Slack-Signature header',
			{ headers: { 'Content-Type': 'application/json' }, body: BODY },
			'missing_signature',
		],
	]) {
		it(`refuses ${name} as Bolt does`, () => {
			assert.equal(slackAccepts(sent), false);
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [401, reason]);
		});
	}

	it('accepts deliveries signed with the previous Signing Secret during a rotation', () => {
		const receive = receiver(PARAMETERS, [ROTATED, SECRET]);
		for (const [index, secret] of [ROTATED, SECRET].entries()) {
			const body = BODY.replace('Ev0A1B2C3D4E', `Ev0ROTATION${index}`);
			const sent = delivery({ secret, body });
			assert.equal(slackAccepts(sent, secret), true);
			assert.equal(receive(sent).kind, 'accepted');
		}
	});
});
