// GitHub Style against GitHub's own signing library (`@octokit/webhooks-methods`) and GitHub's
// example payloads (`@octokit/webhooks-examples`), with the headers GitHub sends.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import { verify } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples' with { type: 'json' };

import { githubDelivery as delivery, SECRETS } from './deliveries.mjs';
import { receiver, schemeFromParameters, signWebhook, NODE_VERSION } from './support.mjs';

const SECRET = SECRETS.github;
const PARAMETERS = { scheme: 'github' };
const EVENTS = ['push', 'issues', 'pull_request', 'release', 'workflow_run', 'ping'];

function examplesOf(name) {
	const found = examples.find((entry) => entry.name === name);
	assert.ok(found && found.examples.length > 0, `no ${name} example`);
	return found.examples;
}

describe('GitHub Style, judged by @octokit/webhooks-methods with GitHub example payloads', () => {
	for (const name of EVENTS) {
		it(`accepts every ${name} example, typed by X-GitHub-Event and named by X-GitHub-Delivery`, async () => {
			const receive = receiver(PARAMETERS, [SECRET]);
			const payloads = examplesOf(name);
			for (const payload of payloads) {
				const sent = await delivery(name, payload);
				assert.equal(await verify(SECRET, sent.body, sent.headers['X-Hub-Signature-256']), true);
				const outcome = receive(sent);
				assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome.answer));
				const [{ event, body }] = outcome.events;
				assert.equal(event.event, name);
				assert.equal(event.id, sent.headers['X-GitHub-Delivery']);
				// The action stays where GitHub put it, in the body.
				assert.equal(body.action, payload.action);
			}
		});
	}

	it('answers a redelivery (same X-GitHub-Delivery) as a duplicate', async () => {
		const receive = receiver(PARAMETERS, [SECRET]);
		const [payload] = examplesOf('issues');
		const id = randomUUID();
		assert.equal(receive(await delivery('issues', payload, { id })).kind, 'accepted');
		assert.equal(receive(await delivery('issues', payload, { id })).kind, 'duplicate');
	});

	it('refuses a tampered body and another secret, as the library does', async () => {
		const [payload] = examplesOf('push');
		const sent = await delivery('push', payload);
		const tampered = { ...sent, body: sent.body.replace('"ref"', '"ref "') };
		const wrong = await delivery('push', payload, { secret: 'another secret' });
		for (const refused of [tampered, wrong]) {
			assert.equal(
				await verify(SECRET, refused.body, refused.headers['X-Hub-Signature-256']),
				false,
			);
			const outcome = receiver(PARAMETERS, [SECRET])(refused);
			assert.deepEqual(
				[outcome.answer.status, outcome.answer.body.error],
				[401, 'signature_mismatch'],
			);
		}
	});

	it('refuses a delivery without X-Hub-Signature-256', async () => {
		const [payload] = examplesOf('push');
		const { headers, body } = await delivery('push', payload);
		delete headers['X-Hub-Signature-256'];
		assert.equal(
			receiver(PARAMETERS, [SECRET])({ headers, body }).answer.body.error,
			'missing_signature',
		);
	});

	it('accepts a secret that happens to start with whsec_ as the text GitHub signs with', async () => {
		const secret = 'whsec_chosen by the user, used as text';
		const [payload] = examplesOf('release');
		assert.equal(
			receiver(PARAMETERS, [secret])(await delivery('release', payload, { secret })).kind,
			'accepted',
		);
	});

	it("signs, as Notify's GitHub Style, what GitHub's library verifies", async () => {
		const body = JSON.stringify({ type: 'order.created', id: 'evt_1' });
		const headers = signWebhook({
			scheme: schemeFromParameters(PARAMETERS, NODE_VERSION),
			secret: SECRET,
			body,
			id: 'evt_1',
			timestamp: 0,
		});
		assert.equal(await verify(SECRET, body, headers['X-Hub-Signature-256']), true);
		assert.equal(headers['X-GitHub-Delivery'], 'evt_1');
	});
});
