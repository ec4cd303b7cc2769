// The foundation: the package loads into the pinned n8n as a community package, a workflow
// using one of its nodes publishes, and its production webhook answers over real HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startN8n } from './harness.mjs';
import { triggerWorkflow, workflowId } from './fixtures.mjs';

const id = workflowId('plumbing');
const unnamed = triggerWorkflow({
	id: workflowId('plumbingNoPath'),
	path: '',
	parameters: { verification: 'none' },
});
const named = triggerWorkflow({ id, path: 'plumbing', parameters: { verification: 'none' } });
let n8n;

before(async () => {
	n8n = await startN8n({ workflows: [named, unnamed] });
});
after(() => n8n?.stop());

test('the package loads under its community package name', async () => {
	// n8n registers a webhook only for a node type it has loaded.
	const rows = await n8n.query(
		'SELECT node, method, webhookPath FROM webhook_entity WHERE workflowId = ? ORDER BY webhookPath DESC',
		[id],
	);
	// The second is where the trigger saves the ids of stored runs, under its own webhook id.
	const { webhookId } = named.nodes.find((node) => node.webhookId);
	assert.deepEqual(rows, [
		{ node: 'Flow Webhook Trigger', method: 'POST', webhookPath: 'plumbing' },
		{ node: 'Flow Webhook Trigger', method: 'POST', webhookPath: `${webhookId}/persist` },
	]);
	assert.doesNotMatch(n8n.log(), /Failed to load package|Skipping package|Unrecognized node type/);
});

test('a published workflow using the trigger answers on its production URL and runs', async () => {
	const response = await fetch(n8n.webhookUrl('plumbing'), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ id: 'evt_plumbing', event: 'flow.start' }),
	});
	assert.equal(response.status, 202);
	assert.deepEqual(await response.json(), { received: true, id: 'evt_plumbing' });
	const executions = await n8n.waitForExecutions(id, 1);
	assert.equal(executions.length, 1);
	assert.equal(executions[0].status, 'success');
});

test("with no path set, the URL is the node's own unique webhook id, as for n8n's Webhook node", async () => {
	const response = await fetch(n8n.webhookUrl(unnamed.nodes[0].webhookId), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'ping' }),
	});
	assert.equal(response.status, 202);
	// The trigger's own answer (n8n's would be "Webhook call received"), with the id it gave the event.
	const { received, id: eventId } = await response.json();
	assert.equal(received, true);
	assert.match(eventId, /\S/);
	const run = await n8n.executionHolding(unnamed.id, eventId);
	assert.equal(run?.status, 'success', 'the event ran');
});
