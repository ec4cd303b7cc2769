// Real deliveries from the senders the trigger names, through a real n8n: each sender's own library
// signs, with the secret as that sender hands it out, its headers and its example payloads. Each
// delivery must start exactly one run whose item carries the sender's event type and delivery id;
// the sender's retry must start none; a forged one must be refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import githubExamples from '@octokit/webhooks-examples' with { type: 'json' };

import {
	discordDelivery,
	fixture,
	githubDelivery,
	gitlabDelivery,
	metaDelivery,
	muxDelivery,
	publicKeySender,
	SECRETS,
	shopifyDelivery,
	slackDelivery,
	stripeDelivery,
	svixDelivery,
	twilioFormDelivery,
} from '../senders/deliveries.mjs';
import { triggerWorkflow, workflowId } from './fixtures.mjs';
import { pollUntil, startN8n } from './harness.mjs';

// Discord signs with its app's private key; the credential holds the public key it shows.
const discordApp = publicKeySender('discord');
// Twilio signs the URL entered in its console: a public address in front of n8n, not the one the
// request reaches n8n on, so the node's Public URL must say it.
const TWILIO_URL = 'https://hooks.example.com/webhook/real-twilio?account=main';

/** A fixture with some of its fields replaced, as JSON text. */
const withFields = (name, change) => {
	const body = JSON.parse(fixture(name));
	change(body);
	return JSON.stringify(body);
};

const credentials = Object.fromEntries(
	Object.entries({ ...SECRETS, discord: discordApp.publicKey }).map(([sender, secret]) => [
		sender,
		{
			id: workflowId(`cred${sender}`),
			name: `E2E ${sender} secret`,
			type: 'webhookSigningSecretApi',
			data: { secret },
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

const ids = Object.fromEntries(
	Object.keys(SENDERS).map((sender) => [sender, workflowId(`real${sender}`)]),
);
let n8n;

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
		workflows: Object.entries(SENDERS).map(([sender, { parameters }]) =>
			triggerWorkflow({
				id: ids[sender],
				path: `real-${sender}`,
				parameters,
				typeVersion: 2,
				credential: credentials[sender],
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
