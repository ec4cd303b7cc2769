// The Slack preset against Slack's own Bolt library (`@slack/bolt` `isValidSlackRequest`), which
// verifies the same deliveries: Events API JSON, a slash command's form and an interaction's form
// (whose `payload` field Bolt parses as the event), signed as sent; and the steps of Bolt's
// HTTPReceiver (`HTTPModuleFunctions`) for the unsigned `ssl_check` Slack sends slash-command URLs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';

import {
	fixture,
	SECRETS,
	SLACK_INTERACTION,
	SLACK_SLASH_COMMAND,
	slackDelivery as delivery,
} from './deliveries.mjs';
import { lowerCased, receiver } from './support.mjs';

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

/** The body Bolt hands the app for a request: a form's `payload` parsed, else the form or JSON. */
const boltBody = ({ headers, body }) =>
	HTTPModuleFunctions.parseHTTPRequestBody({
		rawBody: Buffer.from(body),
		headers: lowerCased(headers),
	});

/**
 * What Bolt's HTTPReceiver answers a request, step by step as it takes them: verification (401
 * when it throws), parsing (400), then `ssl_check` (200, no body) and `url_verification`; `run`
 * for a request it hands the app.
 */
async function boltHttpReceiverAnswer({ headers, body }) {
	let request;
	try {
		request = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
			{ signingSecret: SECRET },
			{ rawBody: Buffer.from(body), headers: lowerCased(headers) },
		);
	} catch {
		return { status: 401 };
	}
	let parsed;
	try {
		parsed = HTTPModuleFunctions.parseHTTPRequestBody(request);
	} catch {
		return { status: 400 };
	}
	if (parsed.ssl_check === '1') {
		const answer = {};
		HTTPModuleFunctions.buildSSLCheckResponse({
			writeHead: (status) => Object.assign(answer, { status }),
			end: (text) => Object.assign(answer, text === undefined ? {} : { body: text }),
		});
		return answer;
	}
	return { status: 'run' };
}

/** An ssl_check as Slack posts it: a form, with the app's verification token, and no signature. */
const sslCheck = (fields = {}) => ({
	headers: {
		'Content-Type': 'application/x-www-form-urlencoded',
		'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
	},
	body: new URLSearchParams({
		ssl_check: '1',
		token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
		...fields,
	}).toString(),
});

describe("Slack's ssl_check, judged by @slack/bolt's HTTPReceiver", () => {
	it('answers the unsigned check 200 with no body, as Bolt does, and starts no run', async () => {
		const sent = sslCheck();
		assert.deepEqual(await boltHttpReceiverAnswer(sent), { status: 200 });
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.deepEqual(outcome, { kind: 'handshake', answer: { status: 200 } });
	});

	it('starts no run for a check carrying an event too: nothing unsigned gets through', async () => {
		const smuggled = sslCheck({ command: '/deploy', payload: SLACK_INTERACTION });
		assert.deepEqual(await boltHttpReceiverAnswer(smuggled), { status: 200 });
		const outcome = receiver(PARAMETERS, [SECRET])(smuggled);
		assert.deepEqual(outcome, { kind: 'handshake', answer: { status: 200 } });
	});

	for (const [name, sent] of [
		['ssl_check=0', sslCheck({ ssl_check: '0' })],
		['ssl_check sent twice', { ...sslCheck(), body: `${sslCheck().body}&ssl_check=1` }],
		[
			'ssl_check in a JSON body',
			{ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ssl_check: '1' }) },
		],
	]) {
		it(`verifies ${name} like any request, as Bolt does`, async () => {
			assert.deepEqual(await boltHttpReceiverAnswer(sent), { status: 401 });
			const outcome = receiver(PARAMETERS, [SECRET])(sent);
			assert.deepEqual(
				[outcome.answer.status, outcome.answer.body.error],
				[401, 'missing_signature'],
			);
		});
	}
});

describe("Slack's interactivity, judged by @slack/bolt", () => {
	it("verifies an interaction's form as sent and hands on its payload as Bolt does, typed and named by it", async () => {
		const sent = delivery({ body: SLACK_INTERACTION, form: true });
		assert.equal(slackAccepts(sent), true);
		assert.deepEqual(await boltHttpReceiverAnswer(sent), { status: 'run' });
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
		const [{ event, body }] = outcome.events;
		assert.deepEqual(body, boltBody(sent));
		assert.deepEqual(
			[event.event, event.id],
			['block_actions', '8190437215.6210651594.0f6a2c9e4b7d1f3a5c8e0b2d4f6a8c1e'],
		);
		assert.equal(body.actions[0].action_id, 'approve_deploy');
	});

	it('refuses a tampered interaction as Bolt does', () => {
		const sent = delivery({ body: SLACK_INTERACTION, form: true });
		const tampered = { ...sent, body: sent.body.replace('approve_deploy', 'reject_deploy') };
		assert.equal(slackAccepts(tampered), false);
		const outcome = receiver(PARAMETERS, [SECRET])(tampered);
		assert.deepEqual(
			[outcome.answer.status, outcome.answer.body.error],
			[401, 'signature_mismatch'],
		);
	});

	it('refuses a signed payload that is not JSON, as Bolt does (400)', async () => {
		const sent = delivery({ body: 'payload=%7Bnot+json', form: true });
		assert.deepEqual(await boltHttpReceiverAnswer(sent), { status: 400 });
		const outcome = receiver(PARAMETERS, [SECRET])(sent);
		assert.deepEqual([outcome.answer.status, outcome.answer.body.error], [400, 'invalid_json']);
	});
});

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
		assert.deepEqual(
			[typed.events[0].event.event, typed.events[0].event.id],
			['/deploy', '8162947518.6210651594.5c1d4f9e0a7b2c8d3e6f1a9b0c7d4e2f'],
		);
		// querystring gives Bolt an object without a prototype: compared by its fields.
		assert.deepEqual(typed.events[0].body, { ...boltBody(sent) });
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
