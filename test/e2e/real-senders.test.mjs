// Real deliveries from the senders the trigger names, through a real n8n: each sender's own library
// signs, with the secret as that sender hands it out, its headers and its example payloads. Each
// delivery must start exactly one run whose item carries the sender's event type and delivery id;
// the sender's retry must start none; a forged one must be refused.
// Senders that check the URL first (Slack, Discord, Zoom, Twitch, Meta) must get exactly the answer they
// require for that check, a forged check must be refused, and neither may start a run: counted
// after a later event that does start one, since n8n answers 200 by itself when a node starts none.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import githubExamples from '@octokit/webhooks-examples' with { type: 'json' };

import {
	boxDelivery,
	discordDelivery,
	fixture,
	githubDelivery,
	gitlabDelivery,
	mailgunDelivery,
	metaDelivery,
	muxDelivery,
	publicKeySender,
	SECRETS,
	shopifyDelivery,
	slackDelivery,
	stripeDelivery,
	svixDelivery,
	twilioFormDelivery,
	twitchDelivery,
	zoomDelivery,
} from '../senders/deliveries.mjs';
import { triggerWorkflow, workflowId } from './fixtures.mjs';
import { pollUntil, startN8n } from './harness.mjs';

// Discord signs with its app's private key; the credential holds the public key it shows.
const discordApp = publicKeySender('discord');
// Twilio signs the URL entered in its console: a public address in front of n8n, not the one the
// request reaches n8n on, so the node's Public URL must say it.
const TWILIO_URL = 'https://hooks.example.com/webhook/real-twilio?account=main';
const TWILIO_RETRIED_URL = 'https://hooks.example.com/webhook/real-twilioRetried';

/** A fixture with some of its fields replaced, as JSON text. */
const withFields = (name, change) => {
	const body = JSON.parse(fixture(name));
	change(body);
	return JSON.stringify(body);
};

/** Each sender's credential as the user fills it in: Box's two keys are its secret and previous secret. */
const CREDENTIAL_DATA = {
	...Object.fromEntries(Object.entries(SECRETS).map(([sender, secret]) => [sender, { secret }])),
	discord: { secret: discordApp.publicKey },
	box: { secret: SECRETS.boxPrimary, previousSecret: SECRETS.boxSecondary },
};

const credentials = Object.fromEntries(
	Object.entries(CREDENTIAL_DATA).map(([sender, data]) => [
		sender,
		{
			id: workflowId(`cred${sender}`),
			name: `E2E ${sender} secret`,
			type: 'webhookSigningSecretApi',
			data,
		},
	]),
);

/** A forged delivery: the genuine one with its body changed after signing. */
const tamper = (delivery) => ({ ...delivery, body: `${delivery.body} ` });

/** Per sender: the trigger's settings, one real delivery with a given id, and its event type. */
const SENDERS = {
	stripe: {
		parameters: { verification: 'stripe' },
		deliver: (id) =>
			stripeDelivery({
				body: JSON.stringify({ ...JSON.parse(fixture('stripe-payment_intent.succeeded')), id }),
			}),
		type: 'payment_intent.succeeded',
	},
	github: {
		parameters: { verification: 'github' },
		deliver: (id) =>
			githubDelivery(
				'issues',
				githubExamples.find((entry) => entry.name === 'issues').examples[0],
				{ id },
			),
		type: 'issues',
	},
	svix: {
		parameters: { verification: 'standardWebhooks' },
		deliver: (id) => svixDelivery(fixture('clerk-user.created'), { id }),
		type: 'user.created',
	},
	shopify: {
		parameters: { verification: 'shopify' },
		deliver: (id) => shopifyDelivery({ id }),
		type: 'orders/create',
	},
	mux: {
		parameters: { verification: 'mux' },
		deliver: (id) =>
			muxDelivery({
				body: JSON.stringify({ ...JSON.parse(fixture('mux-video.asset.ready')), id }),
			}),
		type: 'video.asset.ready',
	},
	slack: {
		parameters: { verification: 'slack' },
		deliver: (id) =>
			slackDelivery({
				body: withFields('slack-event_callback.app_mention', (body) => {
					body.event_id = id;
				}),
			}),
		type: 'app_mention',
	},
	meta: {
		parameters: { verification: 'meta' },
		deliver: (id) =>
			metaDelivery({
				body: withFields('meta-whatsapp-messages', (body) => {
					body.entry[0].changes[0].value.messages[0].id = id;
				}),
			}),
		type: 'messages',
	},
	discord: {
		parameters: { verification: 'discord' },
		deliver: (id) =>
			discordDelivery(discordApp, {
				body: withFields('discord-application_command', (body) => {
					body.id = id;
				}),
			}),
		type: 'deploy',
	},
	twilio: {
		// A status callback form has no id of its own: the user names the message's.
		parameters: {
			verification: 'twilio',
			publicUrl: TWILIO_URL,
			options: { eventIdField: 'MessageSid' },
		},
		deliver: (id) =>
			twilioFormDelivery({
				url: TWILIO_URL,
				fields: { ...JSON.parse(fixture('twilio-message-status')), MessageSid: id },
			}),
		type: 'delivered',
	},
	slackInteraction: {
		// Interactivity posts a form whose one field, payload, is the interaction as JSON.
		parameters: { verification: 'slack' },
		credentialOf: 'slack',
		deliver: (id) =>
			slackDelivery({
				body: new URLSearchParams({
					payload: withFields('slack-block_actions', (body) => {
						body.trigger_id = id;
					}),
				}).toString(),
				form: true,
			}),
		type: 'block_actions',
	},
	twitch: {
		parameters: { verification: 'twitch' },
		deliver: (id) => twitchDelivery({ id }),
		type: 'channel.follow',
	},
	box: {
		parameters: { verification: 'box' },
		deliver: (id) =>
			boxDelivery({
				body: withFields('box-FILE.UPLOADED', (body) => {
					body.id = id;
				}),
			}),
		type: 'FILE.UPLOADED',
	},
	mailgun: {
		parameters: { verification: 'mailgun' },
		deliver: (id) =>
			mailgunDelivery({ eventData: { ...JSON.parse(fixture('mailgun-delivered')), id } }),
		type: 'delivered',
		// Mailgun signs its timestamp and token, not the body: a forger without the key guesses one.
		forge: () => mailgunDelivery({ secret: 'key-00000000000000000000000000000000' }),
	},
	stripeFork: {
		// Custom HMAC started from Stripe Style with only the header renamed: a sender forking
		// Stripe's scheme. The other fields keep the values the editor gives them.
		parameters: {
			verification: 'customHmac',
			startFrom: 'stripe',
			signatureHeader: 'Acme-Signature',
		},
		credentialOf: 'stripe',
		deliver: (id) => {
			const { headers, body } = SENDERS.stripe.deliver(id);
			const { 'Stripe-Signature': signature, ...others } = headers;
			return { headers: { ...others, 'Acme-Signature': signature }, body };
		},
		type: 'payment_intent.succeeded',
	},
	twilioRetried: {
		// Without an Event ID Field, the request's I-Twilio-Idempotency-Token names it: the same
		// token on a retry.
		parameters: { verification: 'twilio', publicUrl: TWILIO_RETRIED_URL },
		credentialOf: 'twilio',
		deliver: (id) => twilioFormDelivery({ url: TWILIO_RETRIED_URL, idempotencyToken: id }),
		type: 'delivered',
	},
	gitlab: {
		parameters: { verification: 'gitlab' },
		deliver: (id) => gitlabDelivery({ id }),
		type: 'Push Hook',
		// Nothing is signed: a forger guesses the token.
		forge: (delivery) => ({
			...delivery,
			headers: { ...delivery.headers, 'X-Gitlab-Token': 'a guessed token' },
		}),
	},
};

const zoomCheck = JSON.stringify(JSON.parse(fixture('zoom-endpoint.url_validation')));
const twitchCheck = fixture('twitch-webhook_callback_verification');
const VERIFY_TOKEN = 'a verify token typed in Meta’s dashboard';

/** A GET as Meta sends it to check the Callback URL. */
const metaCheck = (token, challenge = '1158201444') => ({
	method: 'GET',
	query: new URLSearchParams({
		'hub.mode': 'subscribe',
		'hub.challenge': challenge,
		'hub.verify_token': token,
	}),
});

/**
 * Per sender with a handshake: the trigger's settings, the genuine handshake, the answer the sender
 * requires (status, Content-Type, body as text), a forgery of it and the answer that gets, and an
 * event that does start a run.
 */
const HANDSHAKES = {
	slack: {
		parameters: { verification: 'slack' },
		handshake: () => slackDelivery({ body: fixture('slack-url_verification') }),
		answer: [
			200,
			'application/json',
			JSON.stringify({ challenge: JSON.parse(fixture('slack-url_verification')).challenge }),
		],
		forged: () => slackDelivery({ body: fixture('slack-url_verification'), secret: 'not it' }),
		forgedStatus: 401,
		event: () => slackDelivery(),
	},
	discord: {
		parameters: { verification: 'discord' },
		handshake: () => discordDelivery(discordApp, { body: fixture('discord-ping') }),
		answer: [200, 'application/json', JSON.stringify({ type: 1 })],
		// Discord's own probe: a PING with a signature that is not valid.
		forged: () => {
			const signed = discordDelivery(discordApp, { body: fixture('discord-ping') });
			return { ...signed, headers: { ...signed.headers, 'x-signature-ed25519': 'ab'.repeat(64) } };
		},
		forgedStatus: 401,
		event: () => discordDelivery(discordApp),
	},
	zoom: {
		parameters: { verification: 'zoom' },
		handshake: () => zoomDelivery({ body: zoomCheck }),
		answer: [
			200,
			'application/json',
			JSON.stringify({
				plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
				encryptedToken: createHmac('sha256', SECRETS.zoom)
					.update('qgg8vlvZRS6UYooatFL8Aw')
					.digest('hex'),
			}),
		],
		forged: () => zoomDelivery({ body: zoomCheck, secret: 'not it' }),
		forgedStatus: 401,
		event: () => zoomDelivery(),
	},
	twitch: {
		parameters: { verification: 'twitch' },
		handshake: () => twitchDelivery({ body: twitchCheck, type: 'webhook_callback_verification' }),
		answer: [200, 'text/plain', JSON.parse(twitchCheck).challenge],
		forged: () =>
			twitchDelivery({
				body: twitchCheck,
				type: 'webhook_callback_verification',
				secret: 'not it',
			}),
		forgedStatus: 401,
		event: () => twitchDelivery(),
	},
	meta: {
		parameters: { verification: 'meta', verifyToken: VERIFY_TOKEN },
		handshake: () => metaCheck(VERIFY_TOKEN),
		answer: [200, 'text/plain', '1158201444'],
		forged: () => metaCheck('a guessed token'),
		forgedStatus: 403,
		event: () => metaDelivery(),
	},
};

/** A workflow per sender for its deliveries, and one for its endpoint check (`<sender>-check`). */
const WORKFLOWS = [
	...Object.entries(SENDERS).map(([sender, { parameters, credentialOf = sender }]) => ({
		key: sender,
		credentialOf,
		parameters,
	})),
	...Object.entries(HANDSHAKES).map(([sender, { parameters }]) => ({
		key: `${sender}-check`,
		credentialOf: sender,
		parameters,
	})),
];
const ids = Object.fromEntries(WORKFLOWS.map(({ key }) => [key, workflowId(`real${key}`)]));
let n8n;

/** Sends a request (`method` POST unless given) to a sender's workflow; the answer as text. */
async function send(sender, { method = 'POST', headers, body, query }) {
	const url = `${n8n.webhookUrl(`real-${sender}`)}${query ? `?${query}` : ''}`;
	const response = await fetch(url, { method, headers, body });
	return {
		status: response.status,
		type: response.headers.get('content-type') ?? '',
		text: await response.text(),
	};
}

async function post(sender, { headers, body }) {
	const response = await fetch(n8n.webhookUrl(`real-${sender}`), { method: 'POST', headers, body });
	return { status: response.status, body: await response.json() };
}

/** The items of the workflow's successful runs, oldest first, once there are `count` of them. */
async function runItems(sender, count) {
	const successful = await pollUntil(
		async () => (await n8n.executions(ids[sender])).filter(({ status }) => status === 'success'),
		(runs) => runs.length >= count,
		{ timeoutMs: 30_000 },
	);
	assert.equal(successful.length, count, `${sender}: successful runs`);
	const outputs = await Promise.all(successful.map(({ id }) => n8n.executionOutput(id)));
	return outputs.map((output) => output['Flow Webhook Trigger'][0][0]);
}

before(async () => {
	n8n = await startN8n({
		credentials: Object.values(credentials),
		workflows: WORKFLOWS.map(({ key, credentialOf, parameters }) =>
			triggerWorkflow({
				id: ids[key],
				path: `real-${key}`,
				parameters,
				typeVersion: 2,
				credential: credentials[credentialOf],
			}),
		),
	});
});
after(() => n8n?.stop());

for (const [sender, { deliver, type, forge = tamper }] of Object.entries(SENDERS)) {
	describe(`${sender}: real deliveries`, () => {
		test('a delivery starts one run with the sender’s type and id; its retry starts none; a forgery is refused', async () => {
			const id = `${sender}-${randomUUID()}`;
			const first = await post(sender, await deliver(id));
			assert.deepEqual(first, { status: 202, body: { received: true, id } });

			// The retry: the same delivery sent again, as senders do when they miss an answer.
			const retry = await post(sender, await deliver(id));
			assert.deepEqual(retry, { status: 200, body: { received: true, duplicate: true } });

			const refused = await post(sender, forge(await deliver(`${sender}-forged`)));
			assert.equal(refused.status, 401);
			assert.equal(refused.body.error, 'signature_mismatch');

			// A later delivery whose run must come after any the retry could have started.
			const sentinel = `${sender}-${randomUUID()}`;
			assert.equal((await post(sender, await deliver(sentinel))).status, 202);
			const items = await runItems(sender, 2);
			assert.deepEqual(
				items.map((item) => [item.event, item.id]),
				[
					[type, id],
					[type, sentinel],
				],
			);
		});
	});
}

for (const [sender, { handshake, answer, forged, forgedStatus, event }] of Object.entries(
	HANDSHAKES,
)) {
	describe(`${sender}: the endpoint check`, () => {
		test('is answered as the sender requires and starts no run; a forged one is refused and starts none', async () => {
			const workflow = `${sender}-check`;
			const [status, type, text] = answer;
			const checked = await send(workflow, handshake());
			assert.deepEqual([checked.status, checked.text], [status, text]);
			assert.ok(checked.type.startsWith(type), checked.type);

			const refused = await send(workflow, forged());
			assert.equal(refused.status, forgedStatus);
			assert.ok(refused.type.startsWith('application/json'), refused.type);

			// A later event that does start a run: once it has, the handshakes are known to have started none.
			assert.equal((await send(workflow, event())).status, 202);
			await pollUntil(
				async () => await n8n.executions(ids[workflow]),
				(runs) => runs.some(({ status }) => status === 'success'),
				{ timeoutMs: 30_000 },
			);
			const runs = await n8n.executions(ids[workflow]);
			assert.deepEqual(
				runs.map(({ status }) => status),
				['success'],
			);
		});
	});
}

test('a GET is answered only for a preset whose sender checks the URL with one', async () => {
	for (const sender of ['slack', 'stripe']) {
		const answer = await send(sender, metaCheck(VERIFY_TOKEN));
		assert.equal(answer.status, 404, `${sender}: ${answer.text}`);
	}
});

test("Slack's unsigned ssl_check is answered 200 with no body and starts no run, whatever else its form carries", async () => {
	const sslCheck = (fields = {}) => ({
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			ssl_check: '1',
			token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
			...fields,
		}).toString(),
	});
	for (const check of [sslCheck(), sslCheck({ command: '/deploy', text: 'a smuggled command' })]) {
		const answer = await send('slack-check', check);
		assert.deepEqual([answer.status, answer.text], [200, '']);
	}
	// The same form without ssl_check=1 is an unsigned request like any other.
	const unsigned = await send('slack-check', sslCheck({ ssl_check: '0' }));
	assert.equal(unsigned.status, 401);
	assert.equal(JSON.parse(unsigned.text).error, 'missing_signature');
	// A later event that does start a run: once it has, the checks are known to have started none.
	const before = (await n8n.executions(ids['slack-check'])).length;
	assert.equal((await send('slack-check', SENDERS.slack.deliver(randomUUID()))).status, 202);
	const runs = await pollUntil(
		async () => await n8n.executions(ids['slack-check']),
		(all) => all.filter(({ status }) => status === 'success').length > before,
		{ timeoutMs: 30_000 },
	);
	assert.equal(runs.length, before + 1, 'only the event started a run');
});
