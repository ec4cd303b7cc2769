// Every workflow in examples/ imports, publishes and answers in a real n8n, as `npm run dev` loads them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Webhook } from 'standardwebhooks';

import { freePort, startN8n } from './harness.mjs';

const examplesDir = join(import.meta.dirname, '../../examples');
const credentials = JSON.parse(readFileSync(join(examplesDir, 'credentials.json'), 'utf8'));
const demoSecret = credentials.find((credential) => credential.type === 'webhookSigningSecretApi')
	.data.secret;
const demoToken = credentials.find((credential) => credential.type === 'dataProviderAccessApi').data
	.token;
const exampleFiles = readdirSync(examplesDir).filter(
	(name) => name.endsWith('.json') && name !== 'credentials.json',
);

let n8n;

before(async () => {
	const port = await freePort();
	// The examples address the dev instance on port 5678; here they address this instance.
	const workflows = exampleFiles.map((name) =>
		JSON.parse(
			readFileSync(join(examplesDir, name), 'utf8').replaceAll(
				'http://localhost:5678/',
				`http://localhost:${port}/`,
			),
		),
	);
	n8n = await startN8n({ workflows, credentials, port });
});
after(() => n8n?.stop());

function signedPost(path, event) {
	const body = JSON.stringify(event);
	const id = `msg_${Date.now()}_${Math.random()}`;
	const at = new Date();
	return fetch(n8n.webhookUrl(path), {
		method: 'POST',
		body,
		headers: {
			'content-type': 'application/json',
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
			'webhook-signature': new Webhook(demoSecret).sign(id, at, body),
		},
	});
}

test('every example workflow is published', async () => {
	const published = (
		await n8n.query('SELECT id FROM workflow_entity WHERE activeVersionId IS NOT NULL')
	).map((row) => row.id);
	const ids = exampleFiles.map(
		(name) => JSON.parse(readFileSync(join(examplesDir, name), 'utf8')).id,
	);
	assert.deepEqual(published.sort(), ids.sort());
});

test('the data feeds answer with the { data, meta } envelope', async () => {
	for (const path of ['alerts', 'sensors']) {
		const response = await fetch(n8n.webhookUrl(path));
		assert.equal(response.status, 200, path);
		const body = await response.json();
		assert.deepEqual(Object.keys(body), ['data', 'meta'], path);
	}
});

test('the customer insights feed needs its bearer token', async () => {
	assert.equal((await fetch(n8n.webhookUrl('customers/insights'))).status, 401);
	const authorised = await fetch(n8n.webhookUrl('customers/insights'), {
		headers: { authorization: `Bearer ${demoToken}` },
	});
	assert.equal(authorised.status, 200);
});

test('the flow session relay accepts signed flow events', async () => {
	const response = await signedPost('flow-events', {
		event: 'flow.start',
		session_id: 's1',
		created: Math.floor(Date.now() / 1000),
	});
	assert.equal(response.status, 202);
});

test("round trip: the sender's Notify delivers a signed event that the receiver's trigger accepts", async () => {
	const sent = await fetch(n8n.webhookUrl('round-trip/send'), { method: 'POST' });
	assert.equal(sent.status, 200);
	const report = await sent.json();
	assert.equal(report.deliveries?.[0]?.status, 202, JSON.stringify(report));
	const [received] = await n8n.waitForExecutions('exRoundTripRecvr', 1);
	assert.equal(received.status, 'success');
	const [[event]] = (await n8n.executionOutput(received.id))['Signed events in'];
	assert.equal(event.event, 'order.created');
	assert.equal(event.id, report.eventId);
});
