// The ready-made clients in examples/clients, run as a user runs them (child processes, the user's
// own Node.js and Python) against a real n8n: the polling clients read what a workflow published,
// and the receiver verifies and deduplicates what Notify sends it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
	DATA_TOKEN,
	SIGNING_SECRET,
	notifyWorkflow,
	providerCredentials,
	providerWorkflow,
	signingCredential,
	standardWebhookHeaders,
	workflowId,
} from './fixtures.mjs';
import { startN8n } from './harness.mjs';
import { clientsDir, pythonWithRequests, startReceiverClient } from './userClients.mjs';

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// n8n's side: data published by production runs, and a Notify sending to the receiver.

const PROVIDERS = workflowId('clients providers');
const chains = {
	public: { name: 'Readings', feedPath: 'clients-feed-readings', parameters: { path: 'readings' } },
	private: {
		name: 'Account',
		feedPath: 'clients-feed-account',
		parameters: { path: 'account', publishMode: 'singleObject', authentication: 'bearerToken' },
	},
};

/** Sends each item of the request as a Standard Webhooks event to two URLs of the receiver. */
const NOTIFY = { id: workflowId('clients notify'), path: 'clients-notify' };
function receiverNotifyWorkflow(receiverUrl) {
	return notifyWorkflow({
		id: NOTIFY.id,
		name: 'Clients: Notify to the example receiver',
		path: NOTIFY.path,
		parameters: {
			operation: 'sendEvent',
			eventType: '={{ $json.type }}',
			eventData: '={{ $json.data }}',
			signing: 'standardWebhooks',
			// One event goes to every destination under one webhook-id: a redelivery, as the receiver sees it.
			destinations: {
				destination: [{ url: `${receiverUrl}first` }, { url: `${receiverUrl}again` }],
			},
			// One at a time, so the receiver has handled the first delivery when the second arrives.
			options: { concurrency: 1 },
		},
	});
}

let n8n;
let receiver;
let publishRuns = 0;

/** Publishes `items` through a provider chain in a production run, and waits until n8n saved them. */
async function publish(chain, items) {
	await fetch(n8n.webhookUrl(chain.feedPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	publishRuns += 1;
	const runs = await n8n.waitForExecutions(PROVIDERS, publishRuns);
	assert.equal(runs.at(-1)?.status, 'success');
}

// ---------------------------------------------------------------------------------------------
// The user's side: the clients as child processes.

let python; // found on first use, so the Node.js tests need no Python
const pollClients = {
	'poll.mjs': () => [process.execPath, join(clientsDir, 'poll.mjs')],
	'poll.py': () => [(python ??= pythonWithRequests()), join(clientsDir, 'poll.py')],
};

/** Runs a polling client to completion; its exit code, output and error output. */
async function poll(client, args, env = {}) {
	const [program, script] = pollClients[client]();
	try {
		const { stdout, stderr } = await run(program, [script, ...args], {
			env: { ...process.env, ...env },
			timeout: 30_000,
		});
		return { code: 0, lines: stdout.trimEnd().split('\n'), stderr };
	} catch (error) {
		if (typeof error.code !== 'number') throw error;
		return { code: error.code, lines: error.stdout.trimEnd().split('\n'), stderr: error.stderr };
	}
}

// ---------------------------------------------------------------------------------------------

before(async () => {
	receiver = await startReceiverClient(SIGNING_SECRET);
	n8n = await startN8n({
		workflows: [
			providerWorkflow({ id: PROVIDERS, chains: Object.values(chains) }),
			receiverNotifyWorkflow(receiver.url),
		],
		credentials: [signingCredential, ...providerCredentials],
	});
});
after(async () => {
	receiver?.stop();
	await n8n?.stop();
});

const readings = [1, 2, 3, 4, 5].map((sensor) => ({ sensor, celsius: 20 + sensor / 10 }));

describe('the polling clients', () => {
	before(() => publish(chains.public, readings));

	for (const client of Object.keys(pollClients)) {
		test(`${client} reads every page, then revalidates and hears "unchanged"`, async () => {
			// Five items in pages of two: without paging only the first two would be printed.
			const args = [n8n.webhookUrl('readings'), '--limit', '2', '--every', '0', '--times', '2'];
			const { code, lines } = await poll(client, args);
			assert.equal(code, 0);
			const [summary, ...rest] = lines;
			assert.match(summary, /^version 1, total 5, last updated \d{4}-\d\d-\d\dT[\d:.]+Z$/);
			assert.equal(rest.at(-1), 'unchanged (304)', 'the second poll must be answered 304');
			assert.deepEqual(rest.slice(0, -1).map(JSON.parse), readings);
		});
	}

	test('both clients print exactly the same', async () => {
		const args = [n8n.webhookUrl('readings'), '--limit', '3', '--times', '1'];
		const node = await poll('poll.mjs', args);
		const python = await poll('poll.py', args);
		assert.deepEqual(python.lines, node.lines);
	});

	test('a republished dataset is read again with its new version', async () => {
		await publish(chains.public, readings.slice(0, 2));
		const { lines } = await poll('poll.mjs', [n8n.webhookUrl('readings'), '--times', '1']);
		assert.match(lines[0], /^version 2, total 2,/);
		assert.deepEqual(lines.slice(1).map(JSON.parse), readings.slice(0, 2));
	});

	for (const client of Object.keys(pollClients)) {
		test(`${client} sends DATA_PROVIDER_TOKEN as a bearer token and prints a single object`, async () => {
			const account = { customer: 'cus_1', plan: 'pro', seats: 12 };
			await publish(chains.private, [account]);
			const url = n8n.webhookUrl('account');

			const refused = await poll(client, [url, '--times', '1']);
			assert.notEqual(refused.code, 0, 'without the token the client must fail');
			assert.match(refused.stderr, /401/);

			const { code, lines } = await poll(client, [url, '--times', '1'], {
				DATA_PROVIDER_TOKEN: DATA_TOKEN,
			});
			assert.equal(code, 0);
			assert.match(lines[0], /^version \d+, total 1,/);
			assert.deepEqual(JSON.parse(lines[1]), account);
		});
	}
});

describe('the receiver', () => {
	test("verifies Notify's event, answers 204, and prints a redelivery as a duplicate", async () => {
		const sent = await fetch(n8n.webhookUrl(NOTIFY.path), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				events: [{ type: 'order.paid', data: { order: 'ord_7', total: 42 } }],
			}),
		});
		const report = await sent.json();
		assert.deepEqual(
			report.deliveries.map((delivery) => [delivery.status, delivery.attempts]),
			[
				[204, 1],
				[204, 1],
			],
			JSON.stringify(report),
		);
		const event = await receiver.waitFor((line) => line.includes(report.eventId));
		assert.equal(event, `event ${report.eventId} order.paid {"order":"ord_7","total":42}`);
		await receiver.waitFor((line) => line === `duplicate ${report.eventId}, already handled`);
		assert.equal(
			receiver.lines.filter((line) => line.startsWith(`event ${report.eventId}`)).length,
			1,
		);
	});

	test('refuses forged, stale and unsigned requests with 401 and acts on none of them', async () => {
		const body = JSON.stringify({ type: 'order.refunded', data: { order: 'ord_8' } });
		const signed = (secret, at, id = undefined) => standardWebhookHeaders(body, { id, secret, at });
		const otherSecret = `whsec_${Buffer.from('not the secret of the receiver!!').toString('base64')}`;
		const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
		const attempts = {
			'signature mismatch': signed(otherSecret, new Date()),
			'timestamp out of tolerance': signed(SIGNING_SECRET, tenMinutesAgo),
			'missing webhook-id, -timestamp or -signature': {},
		};
		for (const [reason, headers] of Object.entries(attempts)) {
			const printedBefore = receiver.lines.length;
			const response = await fetch(receiver.url, { method: 'POST', headers, body });
			assert.equal(response.status, 401, reason);
			await receiver.waitFor((line) => line === `rejected: ${reason}`);
			assert.deepEqual(receiver.lines.slice(printedBefore), [`rejected: ${reason}`]);
		}

		// The control: the same body, signed with the right secret by the reference library, passes.
		const genuine = await fetch(receiver.url, {
			method: 'POST',
			headers: signed(SIGNING_SECRET, new Date(), 'msg_genuine'),
			body,
		});
		assert.equal(genuine.status, 204);
		await receiver.waitFor((line) => line === 'event msg_genuine order.refunded {"order":"ord_8"}');
	});
});
