// Real deliveries from the senders the trigger names, through a real n8n: each sender's own library
// signs, with the secret as that sender hands it out, its headers and its example payloads. Each
// delivery must start exactly one run whose item carries the sender's event type and delivery id;
// the sender's retry must start none; a forged one must be refused.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { sign as signGithub } from '@octokit/webhooks-methods';
import githubExamples from '@octokit/webhooks-examples' with { type: 'json' };
import Stripe from 'stripe';
import { Webhook as Svix } from 'svix';

import { triggerWorkflow, workflowId } from './fixtures.mjs';
import { pollUntil, startN8n } from './harness.mjs';

const fixture = (name) =>
	readFileSync(new URL(`../senders/fixtures/${name}.json`, import.meta.url), 'utf8');
const credential = (label, secret) => ({
	id: workflowId(`cred${label}`),
	name: `E2E ${label} secret`,
	type: 'webhookSigningSecretApi',
	data: { secret },
});

const stripe = new Stripe('sk_test_51NotARealKeyButTheLibraryWantsOne00000000000000000000000000');
const SECRETS = {
	stripe: credential('Stripe', 'whsec_Wb2qJ6N4ZcT8xKp3Lm9R7vDf1Hs5Ga0E'),
	github: credential('GitHub', "It's a Secret to Everybody"),
	svix: credential('Svix', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
	shopify: credential('Shopify', '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'),
	gitlab: credential('GitLab', 'gitlab-webhook-secret-token-0123456789'),
};
const secretOf = (sender) => SECRETS[sender].data.secret;

/** One real delivery per sender, made as the sender makes it. */
const SENDERS = {
	stripe: {
		parameters: { verification: 'stripe' },
		deliver(id) {
			const body = JSON.stringify({
				...JSON.parse(fixture('stripe-payment_intent.succeeded')),
				id,
			});
			const signature = stripe.webhooks.generateTestHeaderString({
				payload: body,
				secret: secretOf('stripe'),
			});
			return {
				headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
				body,
			};
		},
		type: 'payment_intent.succeeded',
	},
	github: {
		parameters: { verification: 'github' },
		async deliver(id) {
			const payload = githubExamples.find((entry) => entry.name === 'issues').examples[0];
			const body = JSON.stringify(payload);
			return {
				headers: {
					'Content-Type': 'application/json',
					'X-GitHub-Event': 'issues',
					'X-GitHub-Delivery': id,
					'X-Hub-Signature-256': await signGithub(secretOf('github'), body),
				},
				body,
			};
		},
		type: 'issues',
	},
	svix: {
		parameters: { verification: 'standardWebhooks' },
		deliver(id) {
			const body = fixture('clerk-user.created');
			const at = new Date();
			return {
				headers: {
					'Content-Type': 'application/json',
					'svix-id': id,
					'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
					'svix-signature': new Svix(secretOf('svix')).sign(id, at, body),
				},
				body,
			};
		},
		type: 'user.created',
	},
	shopify: {
		parameters: {
			verification: 'customHmac',
			signatureHeader: 'X-Shopify-Hmac-Sha256',
			encoding: 'base64',
			secretEncoding: 'text',
			options: { eventTypeHeader: 'X-Shopify-Topic', eventIdHeader: 'X-Shopify-Webhook-Id' },
		},
		deliver(id) {
			const body = fixture('shopify-orders-create');
			const hmac = createHmac('sha256', secretOf('shopify')).update(body).digest('base64');
			return {
				headers: {
					'Content-Type': 'application/json',
					'X-Shopify-Topic': 'orders/create',
					'X-Shopify-Hmac-Sha256': hmac,
					'X-Shopify-Webhook-Id': id,
					'X-Shopify-Shop-Domain': 'n8n-test.myshopify.com',
				},
				body,
			};
		},
		type: 'orders/create',
	},
	gitlab: {
		parameters: {
			verification: 'token',
			tokenHeader: 'X-Gitlab-Token',
			options: { eventTypeHeader: 'X-Gitlab-Event', eventIdHeader: 'X-Gitlab-Event-UUID' },
		},
		deliver(id) {
			const body = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main', commits: [] });
			return {
				headers: {
					'Content-Type': 'application/json',
					'X-Gitlab-Event': 'Push Hook',
					'X-Gitlab-Event-UUID': id,
					'X-Gitlab-Token': secretOf('gitlab'),
				},
				body,
			};
		},
		type: 'Push Hook',
		// Nothing is signed: a forger guesses the token.
		forge: (delivery) => ({
			...delivery,
			headers: { ...delivery.headers, 'X-Gitlab-Token': 'a guessed token' },
		}),
	},
};

/** A forged delivery: the genuine one with its body changed after signing. */
const tamper = (delivery) => ({ ...delivery, body: `${delivery.body} ` });

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
		credentials: Object.values(SECRETS),
		workflows: Object.entries(SENDERS).map(([sender, { parameters }]) =>
			triggerWorkflow({
				id: ids[sender],
				path: `real-${sender}`,
				parameters,
				typeVersion: 2,
				credential: SECRETS[sender],
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
