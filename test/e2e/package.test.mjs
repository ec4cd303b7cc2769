// The published artifact is what is tested: `npm pack` makes the tarball `npm publish` would send,
// it is installed into a fresh n8n user folder exactly as the README's manual install says
// (`npm install --omit=peer <package>` in ~/.n8n/nodes), and one event goes through each node.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Webhook } from 'standardwebhooks';

import {
	SIGNING_SECRET,
	flowEvent,
	flowTriggerNode,
	notifyWorkflow,
	providerCredentials,
	providerWorkflow,
	signingCredential,
	workflowId,
} from './fixtures.mjs';
import { startN8n } from './harness.mjs';
import { startReceiver } from './receiver.mjs';
import { deliverSigned } from './senders.mjs';

const PROJECT_ROOT = join(import.meta.dirname, '../..');
const packFolder = mkdtempSync(join(tmpdir(), 'n8n-pack-'));
const [packed] = JSON.parse(
	execFileSync('npm', ['pack', '--json', '--pack-destination', packFolder], {
		cwd: PROJECT_ROOT,
		encoding: 'utf8',
	}),
);
const tarball = join(packFolder, packed.filename);

/** The README's manual install, with the tarball in place of the registry's package. */
function installTarball(userFolder) {
	const nodesFolder = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesFolder, { recursive: true });
	execFileSync('npm', ['install', '--omit=peer', '--no-audit', '--no-fund', tarball], {
		cwd: nodesFolder,
		stdio: 'ignore',
	});
}

const ids = { relay: workflowId('packageRelay'), feed: workflowId('packageFeed') };
const paths = { events: 'package-events', feed: 'package-feed', data: 'package-data' };

/** A Flow Webhook Trigger whose events Notify sends on to `destination`. */
function relayWorkflow(destination) {
	return notifyWorkflow({
		id: ids.relay,
		name: 'Package: trigger to Notify',
		start: [flowTriggerNode('Flow Webhook Trigger', { path: paths.events })],
		parameters: { operation: 'sendEvent', destinations: { destination: [{ url: destination }] } },
	});
}

let n8n;
let receiver;

before(async () => {
	receiver = await startReceiver();
	n8n = await startN8n({
		workflows: [
			relayWorkflow(receiver.url('/events')),
			providerWorkflow({
				id: ids.feed,
				chains: [{ name: 'Feed', feedPath: paths.feed, parameters: { path: paths.data } }],
			}),
		],
		credentials: [signingCredential, ...providerCredentials],
		install: installTarball,
	});
});
after(async () => {
	await n8n?.stop();
	await receiver?.close();
	rmSync(packFolder, { recursive: true, force: true });
});

test('the tarball holds the built package and nothing a user does not need', () => {
	const files = packed.files.map(({ path }) => path).sort();
	const unexpected = files.filter(
		(path) =>
			!/^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts|svg|json))$/.test(path) ||
			/\.(map|test\.[jt]s)$/.test(path) ||
			/^dist\/(test|scripts)\//.test(path),
	);
	assert.deepEqual(unexpected, []);
	for (const expected of [
		'dist/index.js',
		'dist/nodes/FlowWebhookTrigger/FlowWebhookTrigger.node.js',
		'dist/nodes/ExternalDataProvider/ExternalDataProvider.node.js',
		'dist/nodes/Notify/Notify.node.js',
		'dist/credentials/DataProviderPublishKeyApi.credentials.js',
		'dist/nodes/Notify/notify.svg',
		'dist/nodes/Notify/Notify.node.json',
	]) {
		assert.ok(files.includes(expected), `${expected} is missing from the tarball`);
	}
});

test('a signed event goes through the Flow Webhook Trigger and out of Notify, signed', async () => {
	const event = flowEvent();
	assert.equal(await deliverSigned(n8n.webhookUrl(paths.events), event), 202);
	await receiver.waitForRequests('/events', 1, 60_000);
	const [delivery] = receiver.requests('/events');
	const verified = new Webhook(SIGNING_SECRET).verify(delivery.body, delivery.headers);
	assert.equal(verified.type, 'flow.start');
	assert.equal(verified.data.id, event.id);
});

test('a run publishes through the External Data Provider and its URL serves the items', async () => {
	const items = [{ sku: 'A-1', stock: 3 }];
	const fed = await fetch(n8n.webhookUrl(paths.feed), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	assert.equal(fed.status, 200);
	const served = await (await fetch(n8n.webhookUrl(paths.data))).json();
	assert.deepEqual(served.data, items);
});
