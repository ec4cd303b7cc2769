// An n8n whose public WEBHOOK_URL it cannot reach itself (a reverse proxy, a tunnel, hairpin NAT),
// played by a closed local port: the nodes that call their own webhooks (the trigger to save its
// duplicate record, the provider to publish) say what to set, and work once Options › Webhook Base
// URL points at an address of n8n's webhooks this n8n reaches.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
	flowEvent,
	providerCredentials,
	providerWorkflow,
	savedEventIds,
	signingCredential,
	triggerWorkflow,
	workflowId,
} from './fixtures.mjs';
import { freePort, pollUntil, startN8n } from './harness.mjs';
import { deliverSigned } from './senders.mjs';

const TRIGGER_NAME = 'Flow Webhook Trigger';
const SAVE_WARNING = 'could not save the IDs of accepted events';
const ids = {
	unsaved: workflowId('unreachableTrig'),
	saved: workflowId('baseUrlTrigger'),
	provider: workflowId('unreachableProv'),
};

const port = await freePort();
// Nothing listens there: every request n8n makes to its own WEBHOOK_URL is refused.
const UNREACHABLE_WEBHOOK_URL = `http://127.0.0.1:${await freePort()}/`;
// What the option is set to: n8n's production webhooks as this n8n reaches them.
const REACHABLE_WEBHOOKS = `http://127.0.0.1:${port}/webhook`;
const withBaseUrl = { options: { webhookBaseUrl: REACHABLE_WEBHOOKS } };

const providerChains = {
	unset: { name: 'Unset', feedPath: 'unreachable-feed-unset', parameters: { path: 'data/unset' } },
	set: {
		name: 'Set',
		feedPath: 'unreachable-feed-set',
		parameters: { path: 'data/set', ...withBaseUrl },
	},
};

let n8n;

before(async () => {
	n8n = await startN8n({
		port,
		env: { WEBHOOK_URL: UNREACHABLE_WEBHOOK_URL },
		credentials: [signingCredential, ...providerCredentials],
		workflows: [
			triggerWorkflow({ id: ids.unsaved, path: 'unreachable/unsaved' }),
			triggerWorkflow({ id: ids.saved, path: 'unreachable/saved', parameters: withBaseUrl }),
			providerWorkflow({ id: ids.provider, chains: Object.values(providerChains) }),
		],
	});
});
after(async () => {
	await n8n?.stop();
});

/** Delivers `event` signed to a trigger path (the test talks to n8n directly); the status. */
const deliver = (path, event) => deliverSigned(n8n.webhookUrl(path), event);

/** The lines n8n logged for failed saves of the duplicate record. */
const saveWarnings = () => n8n.logLines().filter((line) => line.includes(SAVE_WARNING));

/** Whether the trigger of `workflow` has saved `eventId` in the workflow's static data. */
async function savedInStaticData(workflow, eventId) {
	return savedEventIds(await n8n.staticData(workflow), [eventId], TRIGGER_NAME).includes(eventId);
}

test('a trigger without Webhook Base URL still accepts events, and the log says what to set', async () => {
	const event = flowEvent();
	assert.equal(await deliver('unreachable/unsaved', event), 202);
	const run = await n8n.executionHolding(ids.unsaved, event.id, { triggerName: TRIGGER_NAME });
	assert.equal(run?.status, 'success');
	// This process still knows the event.
	assert.equal(await deliver('unreachable/unsaved', event), 200);

	const warnings = await pollUntil(saveWarnings, (lines) => lines.length > 0, {
		timeoutMs: 15_000,
	});
	assert.equal(warnings.length, 1, warnings.join('\n'));
	const [warning] = warnings;
	assert.ok(warning.includes(`${UNREACHABLE_WEBHOOK_URL}webhook/`), 'names the URL it tried');
	assert.match(warning, /Options › Webhook Base URL/);
	assert.match(warning, /make WEBHOOK_URL reachable/);
	assert.match(warning, /The events are safe/);
	assert.ok(!warning.includes(signingCredential.data.secret.slice(6)), 'no secret in the log');
});

test('a trigger with Webhook Base URL saves the ids of the events it accepts', async () => {
	const event = flowEvent();
	assert.equal(await deliver('unreachable/saved', event), 202);
	const saved = await pollUntil(
		() => savedInStaticData(ids.saved, event.id),
		(isSaved) => isSaved,
		{ timeoutMs: 15_000 },
	);
	// Saved there, the record outlasts a restart (trigger.test.mjs shows the redelivery refused then).
	assert.equal(saved, true, 'the accepted id is in the saved duplicate record');
});

/** Runs a provider chain with `items`; its feed answers once the run is done. The run. */
async function publish(chain, items) {
	const before = (await n8n.executions(ids.provider)).length;
	const response = await fetch(n8n.webhookUrl(chain.feedPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	await response.arrayBuffer();
	return (await n8n.waitForExecutions(ids.provider, before + 1)).at(-1);
}

/** The data a provider serves, read on its public URL. */
async function served(path) {
	const response = await fetch(n8n.webhookUrl(path));
	return (await response.json()).data;
}

test('a provider fails to publish without Webhook Base URL, saying to set it, and publishes with it', async () => {
	const failed = await publish(providerChains.unset, [{ lost: true }]);
	assert.equal(failed.status, 'error');
	const [{ data }] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		failed.id,
	]);
	const { message, description } = data.resultData.error;
	assert.equal(message, "Could not publish through this node's webhook");
	assert.ok(description.startsWith(`${UNREACHABLE_WEBHOOK_URL}webhook/`), 'names the URL it tried');
	assert.match(description, /Set Options › Webhook Base URL/);
	assert.deepEqual(await served('data/unset'), []);

	const published = await publish(providerChains.set, [{ kept: true }]);
	assert.equal(published.status, 'success');
	assert.deepEqual(await served('data/set'), [{ kept: true }]);
});
