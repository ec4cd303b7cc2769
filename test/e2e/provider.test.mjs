// External Data Provider in a real n8n: what clients get from its GET URL, over the wire, that its
// publish webhook (POST) takes only signed publishes, and proof that serving them starts no
// execution, survives a restart and holds up under polling.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
	DATA_TOKEN,
	PUBLISH_KEY,
	ROTATED_DATA_TOKEN,
	providerCredentials,
	publishKeyCredential,
	executeStep,
	providerWorkflow,
	publishWebhookPath,
	signedPublish,
	standardWebhookHeaders,
	workflowId,
} from './fixtures.mjs';
import { pollUntil, sleep, startN8n } from './harness.mjs';
import { startProxy } from './proxy.mjs';

const id = workflowId('provider');
// A recording reverse proxy in front of n8n: every request through it reaches n8n from its address.
const proxy = await startProxy(() => n8n.baseUrl);
const PROXY_WEBHOOKS = proxy.url('/webhook');
const DASHBOARD = 'https://dash.example';
const STRONG_ETAG = /^"[^"]+"$/;

// Independent chains of one published workflow; each provider keeps its own dataset.
const chains = {
	orders: {
		name: 'Orders',
		feedPath: 'provider-feed-orders',
		parameters: {
			path: 'provider/orders',
			options: {
				allowedOrigins: DASHBOARD,
				extraFormats: ['csv', 'ndjson'],
				maxDatasetMb: 0.1,
				maxPageSize: 50,
			},
		},
	},
	events: {
		name: 'Events',
		feedPath: 'provider-feed-events',
		parameters: {
			path: 'provider/events',
			publishMode: 'append',
			keepNewest: 3,
			authentication: 'bearerToken',
		},
	},
	status: {
		name: 'Status',
		feedPath: 'provider-feed-status',
		parameters: {
			path: 'provider/status',
			publishMode: 'singleObject',
			authentication: 'customHeader',
			headerName: 'X-Data-Key',
			options: { cacheControl: 'private, max-age=30' },
		},
	},
	rotation: {
		name: 'Rotation',
		feedPath: 'provider-feed-rotation',
		parameters: { path: 'provider/rotation' },
	},
	proxied: {
		name: 'Proxied',
		feedPath: 'provider-feed-proxied',
		// The run publishes through the proxy, as behind a reverse proxy without N8N_PROXY_HOPS.
		parameters: { path: 'provider/proxied', options: { webhookBaseUrl: PROXY_WEBHOOKS } },
	},
	prices: {
		name: 'Prices',
		feedPath: 'provider-feed-prices',
		parameters: { path: 'provider/prices' },
	},
	sandbox: {
		name: 'Sandbox',
		manualItems: [{ draft: true }],
		parameters: { path: 'provider/sandbox' },
	},
};

const orders = [
	{ id: 1, customer: 'Ada, Ltd.', total: 12.5, tags: ['new'] },
	{ id: 2, customer: 'Grace "GH" Hopper', total: 99, tags: [] },
	{ id: 3, customer: 'Linus', total: 0, note: null },
];

let n8n;
let feedRuns = 0;
const requests = { get: 0 };

before(async () => {
	n8n = await startN8n({
		workflows: [providerWorkflow({ id, chains: Object.values(chains) })],
		credentials: providerCredentials,
	});
});
after(async () => {
	await proxy.close();
	await n8n?.stop();
});

/** GET on a provider's production URL; the parsed body when it is JSON. */
async function get(path, { query = '', headers = {} } = {}) {
	requests.get++;
	const response = await fetch(`${n8n.webhookUrl(path)}${query}`, { headers });
	const text = await response.text();
	const isJson = response.headers.get('content-type')?.startsWith('application/json');
	return {
		status: response.status,
		headers: response.headers,
		text,
		body: isJson && text ? JSON.parse(text) : undefined,
	};
}

/** Runs a chain in production with `items`; its Webhook answers once the run is done. */
async function startRun(chain, items) {
	feedRuns++;
	await fetch(n8n.webhookUrl(chain.feedPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
}

/** Runs a chain and waits until n8n has recorded the run (and saved its static data before that). */
async function feed(chain, items) {
	await startRun(chain, items);
	return { run: (await n8n.waitForExecutions(id, feedRuns)).at(-1) };
}

test('before anything is published, the URL answers 200 with empty data', async () => {
	const list = await get('provider/orders');
	assert.equal(list.status, 200);
	assert.match(list.headers.get('content-type'), /^application\/json/);
	assert.deepEqual(list.body, {
		data: [],
		meta: { count: 0, total: 0, offset: 0, limit: 50, last_updated: null, version: 0 },
	});
	assert.match(list.headers.get('etag'), STRONG_ETAG);
	assert.equal(list.headers.get('last-modified'), 'Thu, 01 Jan 1970 00:00:00 GMT');

	const object = await get('provider/status', { headers: { 'x-data-key': DATA_TOKEN } });
	assert.deepEqual(object.body.data, {});
});

test('a production run publishes the items that reach the node and passes them on unchanged', async () => {
	const { run } = await feed(chains.orders, orders);
	assert.equal(run.status, 'success');
	assert.deepEqual((await n8n.executionOutput(run.id)).Orders, [orders]);

	const published = await get('provider/orders');
	assert.equal(published.status, 200);
	assert.deepEqual(published.body.data, orders);
	assert.equal(published.body.meta.version, 1);
	assert.equal(published.body.meta.total, 3);
	assert.ok(Date.now() - Date.parse(published.body.meta.last_updated) < 60_000);
	assert.equal(published.headers.get('cache-control'), 'no-cache');
	// This first publish found no data in its run, so it went through the node's own webhook,
	// which records each publish it accepts beside the dataset.
	const stored = await n8n.staticData(id);
	assert.equal(stored['node:Orders'].publishLedger.recent.length, 2);
});

test("the node's publish webhook publishes nothing unless signed with the node's own key", async () => {
	const before = await get('provider/orders');
	const [{ webhookPath }] = await n8n.query(
		"SELECT webhookPath FROM webhook_entity WHERE node = 'Orders' AND method = 'POST'",
	);
	const body = JSON.stringify({
		items: [{ forged: true }],
		settings: { mode: 'replace', keepNewest: 0, maxBytes: 1000 },
	});
	const post = async (headers) => {
		const response = await fetch(n8n.webhookUrl(webhookPath), {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body,
		});
		return { status: response.status, body: await response.json() };
	};
	const forgingSecret = `whsec_${randomBytes(32).toString('base64')}`;
	const answers = [
		await post({}),
		await post(standardWebhookHeaders(body, { id: 'pub_x', secret: forgingSecret })),
	];
	assert.deepEqual(
		answers.map((answer) => [answer.status, answer.body.error]),
		[
			[401, 'missing_signature'],
			[401, 'signature_mismatch'],
		],
	);
	for (const answer of answers) assert.doesNotMatch(JSON.stringify(answer.body), /forged|whsec_/);
	const after = await get('provider/orders');
	assert.equal(after.text, before.text);
});

/** The POST path of a provider's publish webhook, as n8n registered it. */
const publishPath = (nodeName) => publishWebhookPath(n8n, id, nodeName);

/** Posts a publish of `items` signed with a key derived from `material`, as a run would. */
async function publishSignedWith(material, { path, nodeId, items, withoutKeyId }) {
	const { body, headers } = signedPublish({
		publishKey: material,
		workflowId: id,
		nodeId,
		items,
		withoutKeyId,
	});
	const response = await fetch(n8n.webhookUrl(path), { method: 'POST', headers, body });
	return { status: response.status, body: await response.json() };
}

test('someone who can read the workflow and the instance id cannot publish: 401 each time, the feed unchanged, one log line per reason', async () => {
	const before = await get('provider/orders');
	// Everything a reader has: the workflow as the editor exports it, the instance id every
	// logged-in user can read, the webhook URL.
	const exported = await n8n.rest('GET', `/workflows/${id}`);
	const { instanceId } = await n8n.rest('GET', '/settings');
	const node = exported.nodes.find(({ name }) => name === 'Orders');
	const path = await publishPath('Orders');
	const guesses = [instanceId, node.webhookId, node.credentials.dataProviderPublishKeyApi.id];
	const answers = [];
	for (const material of guesses) {
		for (const withoutKeyId of [false, true]) {
			const target = { path, nodeId: node.id, items: [{ forged: true }], withoutKeyId };
			answers.push(await publishSignedWith(material, target));
		}
	}
	assert.deepEqual(
		answers.map(({ status, body }) => [status, body.error]),
		guesses.flatMap(() => [
			[401, 'publish_key_changed'],
			[401, 'signature_mismatch'],
		]),
	);
	// Past the ten a minute that once made this address wait: each is still answered 401, no 429.
	const more = [];
	for (let attempt = 0; attempt < 12; attempt++) {
		const target = { path, nodeId: node.id, items: [{ forged: attempt }] };
		more.push(await publishSignedWith(instanceId, target));
	}
	assert.deepEqual(
		more.map(({ status, body }) => [status, body.error]),
		more.map(() => [401, 'publish_key_changed']),
	);
	for (const { body } of [...answers, ...more]) {
		assert.doesNotMatch(JSON.stringify(body), new RegExp(`forged|whsec_|${PUBLISH_KEY}`));
	}
	assert.equal((await get('provider/orders')).text, before.text);
	// The 20 refusals of this address (and the earlier test's two) leave one line per reason; the
	// next line of a reason comes a minute later at the earliest, with how many went unlogged.
	const reasons = () =>
		n8n
			.refusalLines()
			.filter((line) => line.includes('node="Orders"'))
			.map((line) => line.match(/reason="([a-z_]+)"/)[1]);
	await pollUntil(reasons, (logged) => logged.length >= 3, { timeoutMs: 15_000 });
	assert.deepEqual(reasons(), ['missing_signature', 'signature_mismatch', 'publish_key_changed']);
});

test("forged publishes flooding in from the run's own address (a reverse proxy) do not make its publish fail", async () => {
	const forgery = signedPublish({
		publishKey: 'a forger guessing the publish key 0123456789',
		workflowId: id,
		nodeId: (await n8n.rest('GET', `/workflows/${id}`)).nodes.find(({ name }) => name === 'Proxied')
			.id,
		items: [{ forged: true }],
		withoutKeyId: true,
	});
	const publishUrl = `${PROXY_WEBHOOKS}/${await publishPath('Proxied')}`;
	let flooding = true;
	const forger = async () => {
		while (flooding) await (await fetch(publishUrl, { method: 'POST', ...forgery })).text();
	};
	const forgers = [forger(), forger()];
	// Ten forgeries used to use up the address's allowance: start the run once they are past it.
	await pollUntil(
		() => proxy.requests().length,
		(count) => count >= 20,
		{ timeoutMs: 15_000, intervalMs: 50 },
	);
	const { run } = await feed(chains.proxied, [{ genuine: true }]);
	flooding = false;
	await Promise.all(forgers);

	assert.equal(run.status, 'success');
	assert.deepEqual((await get('provider/proxied')).body.data, [{ genuine: true }]);
	const publishes = proxy.requests().filter(({ path }) => path.endsWith('/publish'));
	const statuses = new Set(publishes.map(({ status }) => status));
	assert.deepEqual([...statuses].sort(), [200, 401], 'the run published through the proxy');
	assert.ok(publishes.filter(({ status }) => status === 401).length > 20);
});

/** A publish to provider Prices signed as a run signs it (before the key rotation below), for a test that captures it to replay it. */
async function capturedPricesPublish(items) {
	pricesTarget ??= (async () => {
		const { nodes } = await n8n.rest('GET', `/workflows/${id}`);
		const nodeId = nodes.find(({ name }) => name === 'Prices').id;
		return { nodeId, url: n8n.webhookUrl(await publishPath('Prices')) };
	})();
	const { nodeId, url } = await pricesTarget;
	const request = signedPublish({ publishKey: PUBLISH_KEY, workflowId: id, nodeId, items });
	return async () => {
		const response = await fetch(url, { method: 'POST', ...request });
		return { status: response.status, body: await response.json() };
	};
}
let pricesTarget;

test('a captured publish that changed nothing, replayed after a later publish, changes nothing', async () => {
	const first = await (await capturedPricesPublish([{ price: 100 }]))();
	assert.equal(first.body.outcome, 'published');
	const captured = await capturedPricesPublish([{ price: 100 }]);
	assert.deepEqual((await captured()).body, {
		outcome: 'unchanged',
		version: 1,
		total: 1,
		bytes: 15,
	});
	assert.equal((await (await capturedPricesPublish([{ price: 250 }]))()).body.outcome, 'published');

	const replayed = await captured();
	assert.equal(replayed.status, 200);
	assert.deepEqual(replayed.body, {
		outcome: 'unchanged',
		version: 2,
		total: 1,
		bytes: 15,
		repeated: true,
	});
	assert.deepEqual((await get('provider/prices')).body.data, [{ price: 250 }]);
});

test('a captured publish replayed after 200 later publishes, inside its five minutes, changes nothing', async () => {
	const captured = await capturedPricesPublish([{ price: 1 }]);
	assert.equal((await captured()).body.outcome, 'published');
	for (let price = 1000; price < 1200; price++) {
		const later = await (await capturedPricesPublish([{ price }]))();
		assert.equal(later.body.outcome, 'published', JSON.stringify(later.body));
	}
	const replayed = await captured();
	assert.equal(replayed.status, 200);
	assert.equal(replayed.body.repeated, true);
	const feed = await get('provider/prices');
	assert.deepEqual(feed.body.data, [{ price: 1199 }]);
	assert.equal(feed.body.meta.version, 203);
});

test('after the publish key changes, a publish signed with the old one is refused as retryable; runs publish with the new one', async () => {
	const rotation = await publishPath('Rotation');
	const { nodes } = await n8n.rest('GET', `/workflows/${id}`);
	const nodeId = nodes.find(({ name }) => name === 'Rotation').id;
	const newKey = 'e2e-publish-key-after-rotation-0123456789';
	await n8n.rest('PATCH', `/credentials/${publishKeyCredential.id}`, {
		name: publishKeyCredential.name,
		type: publishKeyCredential.type,
		data: { secret: newKey },
	});
	// n8n's webhook processes reuse a credential they read for a few seconds.
	const deadline = Date.now() + 30_000;
	let stale;
	do {
		stale = await publishSignedWith(PUBLISH_KEY, { path: rotation, nodeId, items: [] });
		if (stale.status === 401 || Date.now() > deadline) break;
		await sleep(500);
	} while (stale.status === 200);
	assert.equal(stale.status, 401);
	assert.equal(stale.body.error, 'publish_key_changed');
	assert.match(stale.body.message, /Nothing was published; run it again/);

	// The rotated chain never published: its first run goes through the webhook, signed anew.
	const { run } = await feed(chains.rotation, [{ after: 'rotation' }]);
	assert.equal(run.status, 'success');
	assert.deepEqual((await get('provider/rotation')).body.data, [{ after: 'rotation' }]);
});

test("the strong ETag survives n8n's Express, and conditional requests get 304 without a body", async () => {
	const first = await get('provider/orders');
	const etag = first.headers.get('etag');
	assert.match(etag, STRONG_ETAG, 'Express would have sent a weak W/ ETag of its own');
	assert.equal(
		first.headers.get('last-modified'),
		new Date(first.body.meta.last_updated).toUTCString(),
	);

	for (const headers of [
		{ 'if-none-match': etag },
		{ 'if-none-match': `W/${etag}` },
		{ 'if-modified-since': first.headers.get('last-modified') },
	]) {
		const again = await get('provider/orders', { headers });
		assert.equal(again.status, 304, JSON.stringify(headers));
		assert.equal(again.text, '');
		assert.equal(again.headers.get('etag'), etag);
	}
	assert.equal(
		(await get('provider/orders', { headers: { 'if-none-match': '"stale"' } })).status,
		200,
	);
});

test('limit and offset page through the data; bad values are refused naming the parameter', async () => {
	const page = await get('provider/orders', { query: '?limit=2&offset=1' });
	assert.deepEqual(page.body.data, orders.slice(1, 3));
	assert.deepEqual(page.body.meta, { ...page.body.meta, count: 2, total: 3, offset: 1, limit: 2 });

	const pastTheEnd = await get('provider/orders', { query: '?offset=10' });
	assert.equal(pastTheEnd.status, 200);
	assert.deepEqual(pastTheEnd.body.data, []);

	for (const [query, parameter] of [
		['?limit=-1', 'limit'],
		['?limit=1.5', 'limit'],
		['?limit=51', 'limit'],
		['?offset=x', 'offset'],
		['?format=xml', 'format'],
	]) {
		const refused = await get('provider/orders', { query });
		assert.equal(refused.status, 400, query);
		assert.equal(refused.body.error, 'invalid_query');
		assert.match(refused.body.message, new RegExp(`^${parameter} `));
	}
});

test('CSV and NDJSON are served where enabled', async () => {
	const csv = await get('provider/orders', { query: '?format=csv' });
	assert.equal(csv.status, 200);
	assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
	assert.equal(
		csv.text,
		'id,customer,total,tags,note\r\n1,"Ada, Ltd.",12.5,"[""new""]",\r\n2,"Grace ""GH"" Hopper",99,[],\r\n3,Linus,0,,\r\n',
	);

	const ndjson = await get('provider/orders', { query: '?format=ndjson&limit=2' });
	assert.equal(ndjson.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
	assert.deepEqual(
		ndjson.text
			.trimEnd()
			.split('\n')
			.map((line) => JSON.parse(line)),
		orders.slice(0, 2),
	);
	assert.notEqual(ndjson.headers.get('etag'), csv.headers.get('etag'));

	const notEnabled = await get('provider/events', {
		query: '?format=csv',
		headers: { authorization: `Bearer ${DATA_TOKEN}` },
	});
	assert.equal(notEnabled.status, 400);
});

test('CORS: listed origins may read; n8n answers preflight requests itself', async () => {
	const allowed = await get('provider/orders', { headers: { origin: DASHBOARD } });
	assert.equal(allowed.headers.get('access-control-allow-origin'), DASHBOARD);
	assert.equal(allowed.headers.get('access-control-expose-headers'), 'ETag, Retry-After');
	assert.match(allowed.headers.get('vary'), /Origin/);

	const other = await get('provider/orders', { headers: { origin: 'https://elsewhere.example' } });
	assert.equal(other.status, 200);
	assert.equal(
		other.headers.get('access-control-allow-origin'),
		null,
		'n8n reflects any origin unless the node removes it',
	);

	// The node never sees OPTIONS: n8n answers 204 from the node's allowedOrigins option.
	const preflight = await fetch(n8n.webhookUrl('provider/orders'), {
		method: 'OPTIONS',
		headers: {
			origin: DASHBOARD,
			'access-control-request-method': 'GET',
			'access-control-request-headers': 'if-none-match',
		},
	});
	assert.equal(preflight.status, 204);
	assert.equal(preflight.headers.get('access-control-allow-origin'), DASHBOARD);
	assert.match(preflight.headers.get('access-control-allow-methods'), /GET/);
	assert.equal(preflight.headers.get('access-control-allow-headers'), 'if-none-match');
});

test('Bearer tokens: each token of the credential opens the data, anything else gets 401', async () => {
	await feed(chains.events, [{ n: 1 }, { n: 2 }]);
	await feed(chains.events, [{ n: 3 }, { n: 4 }]);

	const missing = await get('provider/events');
	assert.equal(missing.status, 401);
	assert.equal(missing.body.error, 'unauthorized');
	assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="n8n"');
	assert.equal(missing.headers.get('cache-control'), 'no-store');

	const wrong = await get('provider/events', {
		headers: { authorization: 'Bearer not-the-token-0123456789' },
	});
	assert.equal(wrong.status, 401);
	assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="n8n", error="invalid_token"');

	for (const token of [DATA_TOKEN, ROTATED_DATA_TOKEN]) {
		const allowed = await get('provider/events', { headers: { authorization: `Bearer ${token}` } });
		assert.equal(allowed.status, 200);
		// Append keeps the newest three.
		assert.deepEqual(allowed.body.data, [{ n: 2 }, { n: 3 }, { n: 4 }]);
		assert.equal(allowed.body.meta.version, 2);
	}
});

test('a custom header guards a single object, with the configured Cache-Control', async () => {
	await feed(chains.status, [{ healthy: true, queue: 4 }, { healthy: false }]);
	const refused = await get('provider/status');
	assert.equal(refused.status, 401);
	assert.equal(refused.headers.get('www-authenticate'), 'ApiKey header="X-Data-Key"');

	const allowed = await get('provider/status', { headers: { 'X-Data-Key': ROTATED_DATA_TOKEN } });
	assert.equal(allowed.status, 200);
	assert.deepEqual(allowed.body.data, { healthy: true, queue: 4 });
	assert.deepEqual(allowed.body.meta, {
		...allowed.body.meta,
		count: 1,
		total: 1,
		limit: null,
		version: 1,
	});
	assert.equal(allowed.headers.get('cache-control'), 'private, max-age=30');
});

test('a dataset over the size limit fails the run and leaves the published data untouched', async () => {
	const before = await get('provider/orders');
	// About 120 KB of JSON against the 0.1 MB (104,858 bytes) limit of this provider.
	const tooMany = Array.from({ length: 1200 }, (_, index) => ({
		id: index,
		padding: 'x'.repeat(90),
	}));
	const { run } = await feed(chains.orders, tooMany);
	assert.equal(run.status, 'error');
	const [{ data }] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		run.id,
	]);
	assert.match(
		data.resultData.error.message,
		/^The data is \d+\.\d KB as JSON, over the 102\.4 KB limit, so it was not published/,
	);

	const after = await get('provider/orders');
	assert.equal(after.text, before.text);
	assert.equal(after.headers.get('etag'), before.headers.get('etag'));
});

test('"Execute step" in the editor runs at once, hints that nothing was published, and publishes nothing', async () => {
	// Registered for production (GET for readers, POST under the node's webhook id for runs that
	// publish through it) although the methods are empty outside published workflows.
	const registered = await n8n.query(
		"SELECT method, webhookPath FROM webhook_entity WHERE node = 'Sandbox' ORDER BY method",
	);
	assert.equal(registered.length, 2);
	assert.deepEqual(registered[0], { method: 'GET', webhookPath: 'provider/sandbox' });
	assert.equal(registered[1].method, 'POST');
	assert.match(registered[1].webhookPath, /^[0-9a-f-]{36}\/publish$/);

	const started = await executeStep(n8n, id, chains.sandbox.name);
	assert.equal(started.waitingForWebhook, undefined, 'n8n must not wait for a test GET');
	assert.ok(started.executionId);

	const [manualRun] = (await n8n.waitForExecutions(id, feedRuns + 1)).filter(
		(run) => run.mode === 'manual',
	);
	assert.equal(manualRun.status, 'success');
	const [{ data }] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		manualRun.id,
	]);
	const [sandboxRun] = data.resultData.runData.Sandbox;
	assert.deepEqual(sandboxRun.hints, [
		{
			type: 'warning',
			location: 'outputPane',
			message:
				'Nothing was published: n8n keeps no data from manual runs. Runs of the published workflow publish; this one would have published 1 item (16 bytes).',
		},
	]);
	assert.deepEqual((await get('provider/sandbox')).body.meta, {
		count: 0,
		total: 0,
		offset: 0,
		limit: 1000,
		last_updated: null,
		version: 0,
	});
});

test('50 clients polling for 10 s, while new data is published, get only 200 or 304 and whole bodies', async () => {
	const bodiesByEtag = new Map();
	const statuses = new Map();
	const stopAt = Date.now() + 10_000;
	async function client(index) {
		let etag;
		while (Date.now() < stopAt) {
			// Half the clients revalidate what they have, as browsers and CDNs do.
			const conditional = index % 2 === 1 && etag !== undefined;
			const answer = await get('provider/orders', {
				headers: conditional ? { 'if-none-match': etag } : {},
			});
			statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
			if (answer.status === 304) {
				assert.ok(conditional, '304 only answers a conditional request');
				continue;
			}
			assert.equal(answer.status, 200, answer.text);
			etag = answer.headers.get('etag');
			const seen = bodiesByEtag.get(etag);
			if (seen === undefined) bodiesByEtag.set(etag, answer.text);
			else assert.equal(answer.text, seen, 'one ETag, one body');
			assert.ok(
				etag.startsWith(`"${answer.body.meta.version}-`),
				'the ETag names the version the body carries',
			);
		}
	}
	// Reading n8n's database blocks this process, so the publisher does not wait for the runs.
	// Under the default expression engine n8n serialises webhook requests through one isolate, so
	// the runs may only get through once the polling stops: which versions the clients see varies.
	const publisher = async () => {
		for (const version of [2, 3]) {
			await sleep(2_500);
			await startRun(
				chains.orders,
				orders.map((order) => ({ ...order, version })),
			);
		}
	};
	await Promise.all([publisher(), ...Array.from({ length: 50 }, (_, index) => client(index))]);
	await n8n.waitForExecutions(id, feedRuns);

	assert.deepEqual([...statuses.keys()].sort(), [200, 304]);
	assert.ok(statuses.get(304) > 0, 'revalidating clients got 304s');
	const versions = [...bodiesByEtag.values()].map((text) => JSON.parse(text).meta.version).sort();
	assert.equal(versions[0], 1);
	assert.deepEqual(versions, [...new Set(versions)], 'one ETag per version');
	const latest = await get('provider/orders');
	assert.equal(latest.body.meta.version, 3);
	assert.deepEqual(
		latest.body.data,
		orders.map((order) => ({ ...order, version: 3 })),
	);
});

test('no GET ever started an execution: only the feeding runs and the manual step did', async () => {
	assert.ok(requests.get > 100, `only ${requests.get} GET requests were made`);
	const runs = await n8n.executions(id);
	assert.equal(runs.filter((run) => run.mode === 'webhook').length, feedRuns);
	assert.equal(runs.filter((run) => run.mode === 'manual').length, 1);
	assert.equal(runs.length, feedRuns + 1);
});

test('after a restart, the URL answers exactly as before', async () => {
	const headers = { origin: DASHBOARD };
	const before = await get('provider/orders', { headers });
	const beforeEvents = await get('provider/events', {
		headers: { authorization: `Bearer ${DATA_TOKEN}` },
	});
	await n8n.restart();
	const after = await get('provider/orders', { headers });
	assert.equal(after.status, 200);
	assert.equal(after.text, before.text);
	for (const name of ['etag', 'last-modified', 'content-type', 'access-control-allow-origin']) {
		assert.equal(after.headers.get(name), before.headers.get(name), name);
	}
	assert.equal(
		(await get('provider/orders', { headers: { 'if-none-match': before.headers.get('etag') } }))
			.status,
		304,
	);
	assert.equal(
		(await get('provider/events', { headers: { authorization: `Bearer ${DATA_TOKEN}` } })).text,
		beforeEvents.text,
	);
});
