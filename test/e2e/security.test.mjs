// The Security options of the Flow Webhook Trigger and the External Data Provider in a real n8n:
// IP allowlists and rate limits over real HTTP, the executions n8n records (none for refusals),
// and the lines n8n's log receives (and what they must never contain).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
	DATA_TOKEN,
	PREVIOUS_SECRET,
	ROTATED_DATA_TOKEN,
	SIGNING_SECRET,
	flowEvent,
	providerCredentials,
	providerWorkflow,
	signingCredential,
	standardWebhookHeaders,
	triggerWorkflow,
	workflowId,
} from './fixtures.mjs';
import { pollUntil, startN8n } from './harness.mjs';

const ids = {
	allowlist: workflowId('securityAllowlist'),
	loopback: workflowId('securityLoopback'),
	limited: workflowId('securityLimited'),
	broken: workflowId('securityBroken'),
	providers: workflowId('securityProviders'),
};

// Every body carries this marker; the log must never show it.
const BODY_MARKER = `body-marker-${randomUUID()}`;
const WRONG_TOKEN = 'e2e-wrong-token-0123456789abcdef';
const FORGED_SIGNATURE = 'v1,' + Buffer.from('forged signature bytes, 32 long!').toString('base64');
// Every signature sent, so the log can be searched for each.
const signaturesSent = new Set([FORGED_SIGNATURE]);

/** A flow event carrying the marker the log must never show. */
function markedEvent(overrides = {}) {
	return flowEvent({ data: { marker: BODY_MARKER }, ...overrides });
}

/** Signed headers for `body`; the signature is remembered, so the log can be searched for it. */
function signedHeaders(body, id = undefined) {
	const headers = standardWebhookHeaders(body, { id });
	signaturesSent.add(headers['webhook-signature']);
	return headers;
}

/** One HTTP request; `forwardedFor` sets X-Forwarded-For, `host` picks the loopback address. */
async function call(n8n, path, { method = 'POST', headers = {}, body, forwardedFor, host } = {}) {
	const base = host ? n8n.baseUrl.replace('127.0.0.1', host) : n8n.baseUrl;
	const response = await fetch(`${base}/webhook/${path}`, {
		method,
		headers: { ...headers, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
		body,
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, body: json, text };
}

function postSigned(n8n, path, options = {}) {
	const body = JSON.stringify(markedEvent(options.event));
	return call(n8n, path, { ...options, body, headers: signedHeaders(body, options.id) });
}

function postUnsigned(n8n, path, event, options = {}) {
	return call(n8n, path, {
		...options,
		body: JSON.stringify(event),
		headers: { 'content-type': 'application/json' },
	});
}

function getData(n8n, path, { token, ...options } = {}) {
	return call(n8n, path, {
		...options,
		method: 'GET',
		headers: token ? { authorization: `Bearer ${token}` } : {},
	});
}

/**
 * Asserts the workflow ran exactly `count` times before a sentinel, all successfully.
 * `sendSentinel(id)` sends one more event the workflow accepts, after every request under test;
 * once the sentinel's run is stored, a run of anything sent before it is stored too.
 */
async function assertExecutions(n8n, workflow, count, sendSentinel) {
	const id = `evt_sentinel_${randomUUID()}`;
	const sentinel = await sendSentinel(id);
	assert.deepEqual([sentinel.status, sentinel.body], [202, { received: true, id }]);
	assert.equal((await n8n.executionHolding(workflow, id))?.status, 'success', 'the sentinel ran');
	const executions = await n8n.executions(workflow);
	assert.equal(executions.length, count + 1, `executions of ${workflow}, the sentinel's included`);
	assert.ok(executions.every((execution) => execution.status === 'success'));
}

/** The refusal lines with every `key="value"` of `fields`. */
function linesWith(lines, fields) {
	const wanted = Object.entries(fields).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
	return lines.filter((line) => wanted.every((pair) => line.includes(pair)));
}

function assertLogged(lines, { level, ...fields }, times = 1) {
	const matching = linesWith(lines, fields);
	assert.equal(matching.length, times, `${times} line(s) with ${JSON.stringify(fields)}`);
	for (const line of matching) assert.match(line, new RegExp(`\\b${level}\\b`), line);
}

/** Reads the refusal lines until `isDone` holds for them (n8n writes its log asynchronously). */
const refusalLinesOnceLogged = (n8n, isDone) =>
	pollUntil(() => n8n.refusalLines(), isDone, { timeoutMs: 15_000 });

describe('behind one reverse proxy (N8N_PROXY_HOPS=1), logging at debug', () => {
	let n8n;

	before(async () => {
		const unsigned = { verification: 'none' };
		n8n = await startN8n({
			// The legacy expression engine serves community-node webhooks about 10x faster here, which
			// keeps the 10,000-client test short; nothing else in this suite depends on the engine.
			env: { N8N_PROXY_HOPS: '1', N8N_LOG_LEVEL: 'debug', N8N_EXPRESSION_ENGINE: 'legacy' },
			credentials: [signingCredential, ...providerCredentials],
			workflows: [
				triggerWorkflow({
					id: ids.allowlist,
					path: 'security/allowlist',
					parameters: { security: { ipAllowlist: '10.0.0.0/8, 2001:db8::/32\n192.0.2.7' } },
				}),
				triggerWorkflow({
					id: ids.loopback,
					path: 'security/loopback',
					parameters: {
						...unsigned,
						eventTypes: ['flow.start'],
						security: { ipAllowlist: '127.0.0.1' },
					},
				}),
				triggerWorkflow({
					id: ids.limited,
					path: 'security/limited',
					parameters: { security: { rateLimitRequests: 3, rateLimitWindowSeconds: 60 } },
				}),
				triggerWorkflow({
					id: ids.broken,
					path: 'security/broken',
					parameters: { ...unsigned, security: { ipAllowlist: '10.0.0.0/8, 10.0.0.300' } },
				}),
				providerWorkflow({
					id: ids.providers,
					chains: [
						{
							name: 'Guarded',
							feedPath: 'security/guarded-feed',
							parameters: {
								path: 'security/guarded',
								authentication: 'bearerToken',
								options: { allowedOrigins: '*' },
								security: { ipAllowlist: '::1, 10.0.0.0/8' },
							},
						},
						{
							name: 'Per Token',
							feedPath: 'security/per-token-feed',
							parameters: {
								path: 'security/per-token',
								authentication: 'bearerToken',
								security: { rateLimitRequests: 2, rateLimitKey: 'token' },
							},
						},
						{
							name: 'Crowd',
							feedPath: 'security/crowd-feed',
							parameters: {
								path: 'security/crowd',
								security: { rateLimitRequests: 1, rateLimitWindowSeconds: 3600 },
							},
						},
						{
							name: 'Per Address',
							feedPath: 'security/per-address-feed',
							parameters: {
								path: 'security/per-address',
								security: { rateLimitRequests: 2, rateLimitWindowSeconds: 30 },
							},
						},
					],
				}),
			],
		});
	});
	after(() => n8n?.stop());

	test('the allowlist is checked against the address n8n resolves from X-Forwarded-For', async () => {
		const cases = [
			['10.1.2.3', 202],
			['203.0.113.9', 403],
			['2001:db8::5', 202],
			['2001:db9::1', 403],
			['::ffff:10.9.9.9', 202],
			['192.0.2.7', 202],
			['192.0.2.8', 403],
			// One proxy hop: the last entry is what the proxy saw; an earlier one is the client's claim.
			['10.1.2.3, 203.0.113.9', 403],
			['203.0.113.9, 10.1.2.4', 202],
		];
		for (const [forwardedFor, status] of cases) {
			const answer = await postSigned(n8n, 'security/allowlist', { forwardedFor });
			assert.equal(answer.status, status, `X-Forwarded-For: ${forwardedFor}`);
			if (status === 403) {
				assert.deepEqual(Object.keys(answer.body).sort(), ['error', 'message']);
				assert.equal(answer.body.error, 'ip_not_allowed');
				assert.equal(answer.headers.get('cache-control'), 'no-store');
			}
		}
		// A direct client (no proxy header) is judged by its own address: loopback is not listed.
		const direct = await postSigned(n8n, 'security/allowlist');
		assert.equal(direct.status, 403);
		await assertExecutions(n8n, ids.allowlist, 5, (id) =>
			postSigned(n8n, 'security/allowlist', { id, forwardedFor: '10.200.0.1' }),
		);
	});

	test('direct loopback clients: 127.0.0.1 arrives as ::ffff:127.0.0.1 and matches; ::1 does not', async () => {
		const viaIpv4 = await postUnsigned(n8n, 'security/loopback', markedEvent());
		assert.equal(viaIpv4.status, 202);
		const viaIpv6 = await postUnsigned(n8n, 'security/loopback', markedEvent(), { host: '[::1]' });
		assert.equal(viaIpv6.status, 403);
		assert.equal(viaIpv6.body.error, 'ip_not_allowed');
		await assertExecutions(n8n, ids.loopback, 1, (id) =>
			postUnsigned(n8n, 'security/loopback', markedEvent({ id })),
		);
		assertLogged(
			await refusalLinesOnceLogged(n8n, (lines) =>
				lines.some((line) => line.includes('client="::1"')),
			),
			{
				level: 'warn',
				reason: 'ip_not_allowed',
				workflow: ids.loopback,
				client: '::1',
			},
		);
	});

	test('the rate limit answers 429 with Retry-After per client, forged requests counted, no execution', async () => {
		const first = '198.51.100.1';
		for (let index = 0; index < 3; index++) {
			assert.equal(
				(await postSigned(n8n, 'security/limited', { forwardedFor: first })).status,
				202,
			);
		}
		const limited = await postSigned(n8n, 'security/limited', { forwardedFor: first });
		assert.equal(limited.status, 429);
		assert.deepEqual(Object.keys(limited.body).sort(), ['error', 'message']);
		assert.equal(limited.body.error, 'rate_limited');
		// 3 per 60 s refills one request every 20 s.
		const retryAfter = Number(limited.headers.get('retry-after'));
		assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 20, `${retryAfter}`);
		assert.equal(limited.headers.get('cache-control'), 'no-store');

		// Another client has its own allowance.
		assert.equal(
			(await postSigned(n8n, 'security/limited', { forwardedFor: '198.51.100.2' })).status,
			202,
		);

		// Forged requests use up allowance too: the fourth request is refused before its signature is checked.
		const forger = '198.51.100.3';
		for (let index = 0; index < 3; index++) {
			const body = JSON.stringify(markedEvent());
			const forged = await call(n8n, 'security/limited', {
				body,
				forwardedFor: forger,
				headers: { ...signedHeaders(body), 'webhook-signature': FORGED_SIGNATURE },
			});
			assert.equal(forged.status, 401);
			assert.equal(forged.body.error, 'signature_mismatch');
		}
		assert.equal((await postSigned(n8n, 'security/limited', { forwardedFor: forger })).status, 429);

		// IPv6 clients count per /64.
		for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2::3']) {
			const answer = await postSigned(n8n, 'security/limited', { forwardedFor: address });
			assert.equal(answer.status, 202);
		}
		const sameNetwork = await postSigned(n8n, 'security/limited', {
			forwardedFor: '2001:db8:1:2:ffff::9',
		});
		assert.equal(sameNetwork.status, 429);
		const otherNetwork = await postSigned(n8n, 'security/limited', {
			forwardedFor: '2001:db8:1:3::1',
		});
		assert.equal(otherNetwork.status, 202);

		await assertExecutions(n8n, ids.limited, 3 + 1 + 3 + 1, (id) =>
			postSigned(n8n, 'security/limited', { id, forwardedFor: '198.51.100.200' }),
		);
	});

	test('a malformed allowlist entry refuses every request with 500 misconfigured and is named in the log', async () => {
		for (const forwardedFor of ['10.0.0.1', '203.0.113.1']) {
			const answer = await postUnsigned(n8n, 'security/broken', markedEvent(), { forwardedFor });
			assert.equal(answer.status, 500);
			assert.equal(answer.body.error, 'misconfigured');
			assert.doesNotMatch(answer.text, /10\.0\.0\.300/, 'the caller learns nothing internal');
		}
		const misconfigured = () =>
			n8n
				.logLines()
				.filter((line) => line.includes('Node "Flow Webhook Trigger" is misconfigured'));
		const errors = await pollUntil(misconfigured, (lines) => lines.length >= 2);
		assert.ok(errors.length >= 2, `${errors.length} misconfiguration lines`);
		// Both requests were handled to their end once their lines are there: neither started a run.
		assert.equal((await n8n.executions(ids.broken)).length, 0);
		assert.match(
			errors[0],
			/IP Allowlist entry 2, "10\.0\.0\.300", is not an IPv4 or IPv6 address/,
		);
		assert.match(errors[0], /\berror\b/);
	});

	test('the data provider: allowlist before authentication, rate limit per token or per address', async () => {
		const guarded = await getData(n8n, 'security/guarded', {
			token: DATA_TOKEN,
			forwardedFor: '10.0.0.5',
		});
		assert.equal(guarded.status, 200);
		const viaIpv6 = await getData(n8n, 'security/guarded', { token: DATA_TOKEN, host: '[::1]' });
		assert.equal(viaIpv6.status, 200);
		for (const token of [DATA_TOKEN, undefined]) {
			const outsider = await getData(n8n, 'security/guarded', { token, forwardedFor: '192.0.2.1' });
			assert.equal(outsider.status, 403);
			assert.equal(outsider.body.error, 'ip_not_allowed');
			assert.equal(outsider.headers.get('access-control-allow-origin'), '*');
		}

		// Two clients behind one address, each with its own token and allowance of 2.
		const shared = '198.51.100.7';
		const statuses = [];
		for (const token of [
			DATA_TOKEN,
			DATA_TOKEN,
			DATA_TOKEN,
			ROTATED_DATA_TOKEN,
			ROTATED_DATA_TOKEN,
		]) {
			const answer = await getData(n8n, 'security/per-token', { token, forwardedFor: shared });
			statuses.push(answer.status);
			if (answer.status === 429) {
				assert.equal(answer.body.error, 'rate_limited');
				const retryAfter = Number(answer.headers.get('retry-after'));
				assert.ok(retryAfter >= 1 && retryAfter <= 30, `${retryAfter}`);
			}
		}
		assert.deepEqual(statuses, [200, 200, 429, 200, 200]);
		// Guessed tokens count by address, so guessing is limited as well.
		const guesses = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			guesses.push(
				(await getData(n8n, 'security/per-token', { token: WRONG_TOKEN, forwardedFor: shared }))
					.status,
			);
		}
		assert.deepEqual(guesses, [401, 401, 429]);

		const perAddress = [];
		for (const forwardedFor of ['198.51.100.8', '198.51.100.8', '198.51.100.8', '198.51.100.9']) {
			perAddress.push((await getData(n8n, 'security/per-address', { forwardedFor })).status);
		}
		assert.deepEqual(perAddress, [200, 200, 429, 200]);
		assert.equal((await n8n.executions(ids.providers)).length, 0, 'serving data runs nothing');
	});

	test('10,000 distinct clients: the limiter forgets the least recently seen instead of growing', async () => {
		const clients = 10_000;
		// 198.18.0.0/15 is reserved for benchmarks.
		const address = (index) => `198.18.${index >> 8}.${index & 255}`;
		const url = n8n.webhookUrl('security/crowd');
		const statuses = {};
		let next = 0;
		const worker = async () => {
			while (next < clients) {
				const index = next++;
				const response = await fetch(url, { headers: { 'x-forwarded-for': address(index) } });
				await response.arrayBuffer();
				statuses[response.status] = (statuses[response.status] ?? 0) + 1;
			}
		};
		await Promise.all(Array.from({ length: 10 }, worker));
		assert.deepEqual(statuses, { 200: clients }, 'each client has its own allowance of one');
		// The most recent clients are still held to their limit of one per hour...
		const recent = await getData(n8n, 'security/crowd', { forwardedFor: address(clients - 1) });
		assert.equal(recent.status, 429);
		// ...while the first ones were forgotten once 5,000 newer clients were tracked.
		const first = await getData(n8n, 'security/crowd', { forwardedFor: address(0) });
		assert.equal(first.status, 200);
	});

	test('the first refusal of each node, client and reason logged one line at its level, with node, workflow, reason, event id and client', async () => {
		// Refusals logged at debug: a duplicate and a filtered-out event, with their ids.
		const duplicateId = `evt_dup_${randomUUID()}`;
		const event = markedEvent({ id: duplicateId });
		assert.equal((await postUnsigned(n8n, 'security/loopback', event)).status, 202);
		const again = await postUnsigned(n8n, 'security/loopback', event);
		assert.deepEqual(again.body, { received: true, duplicate: true });
		const filteredId = `evt_filtered_${randomUUID()}`;
		const filtered = await postUnsigned(
			n8n,
			'security/loopback',
			markedEvent({ id: filteredId, event: 'flow.end' }),
		);
		assert.deepEqual(filtered.body, { received: true, ignored: true });
		// And an unusable body, logged at info.
		const notJson = await call(n8n, 'security/loopback', {
			body: BODY_MARKER,
			headers: { 'content-type': 'text/plain' },
		});
		assert.equal(notJson.status, 400);
		const trigger = 'Flow Webhook Trigger';
		// [fields and level, lines with them]: each refusal above, the earlier tests' included.
		const expected = [
			[
				{
					level: 'warn',
					reason: 'ip_not_allowed',
					node: trigger,
					workflow: ids.allowlist,
					client: '203.0.113.9',
				},
				1,
			],
			[
				{
					level: 'warn',
					reason: 'ip_not_allowed',
					workflow: ids.allowlist,
					client: '127.0.0.1',
				},
				0,
			],
			[
				{
					level: 'warn',
					reason: 'ip_not_allowed',
					workflow: ids.allowlist,
					client: '::ffff:127.0.0.1',
				},
			],
			[
				{
					level: 'warn',
					reason: 'rate_limited',
					node: trigger,
					workflow: ids.limited,
					client: '198.51.100.1',
				},
			],
			[
				{
					level: 'warn',
					reason: 'signature_mismatch',
					node: trigger,
					workflow: ids.limited,
					client: '198.51.100.3',
				},
				1,
			],
			[
				{
					level: 'debug',
					reason: 'duplicate',
					node: trigger,
					workflow: ids.loopback,
					event: duplicateId,
					client: '::ffff:127.0.0.1',
				},
			],
			[
				{
					level: 'debug',
					reason: 'ignored',
					workflow: ids.loopback,
					event: filteredId,
				},
			],
			[{ level: 'info', reason: 'invalid_json', workflow: ids.loopback }],
			[
				{
					level: 'warn',
					reason: 'ip_not_allowed',
					node: 'Guarded',
					workflow: ids.providers,
					client: '192.0.2.1',
				},
				1,
			],
			[
				{
					level: 'warn',
					reason: 'unauthorized',
					node: 'Per Token',
					workflow: ids.providers,
					client: '198.51.100.7',
				},
				1,
			],
			[
				{
					level: 'warn',
					reason: 'rate_limited',
					node: 'Per Token',
					client: '198.51.100.7',
				},
				1,
			],
			[{ level: 'warn', reason: 'rate_limited', node: 'Per Address' }],
		];
		// The unusable body was sent last: once its line and every expected one are there, a line
		// for any earlier request would be too, so the exact counts and the absences can be read.
		const lines = await refusalLinesOnceLogged(n8n, (read) =>
			expected.every(
				([{ level, ...fields }, times = 1]) => linesWith(read, fields).length >= times,
			),
		);
		for (const [fields, times] of expected) assertLogged(lines, fields, times);
		// Refused requests only: accepted events and served data leave no such line.
		assert.equal(lines.filter((line) => line.includes('client="10.1.2.3"')).length, 0);
		assert.equal(lines.filter((line) => line.includes('client="10.0.0.5"')).length, 0);
	});

	test("nothing secret ever reaches n8n's log: no body, secret, token or signature", () => {
		const log = n8n.log();
		const secrets = [
			SIGNING_SECRET,
			SIGNING_SECRET.slice('whsec_'.length),
			PREVIOUS_SECRET.slice('whsec_'.length),
			DATA_TOKEN,
			ROTATED_DATA_TOKEN,
			WRONG_TOKEN,
			BODY_MARKER,
			...[...signaturesSent].map((signature) => signature.slice('v1,'.length)),
		];
		assert.ok(signaturesSent.size > 20);
		for (const secret of secrets) assert.ok(!log.includes(secret), `the log contains ${secret}`);
		assert.doesNotMatch(log, /webhook-signature|authorization:/i);
	});
});

describe('without a trusted proxy (N8N_PROXY_HOPS unset), JSON logs at the default level', () => {
	let n8n;
	const allowlisted = workflowId('securityDirect');
	const plain = workflowId('securityPlain');

	/** Our refusal entries from n8n's JSON log (one JSON object per line). */
	function jsonRefusals() {
		return n8n
			.log()
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => JSON.parse(line))
			.filter((entry) => entry.message.startsWith('Webhook request refused:'));
	}

	before(async () => {
		n8n = await startN8n({
			env: { N8N_LOG_FORMAT: 'json' },
			workflows: [
				triggerWorkflow({
					id: allowlisted,
					path: 'security/direct',
					parameters: { verification: 'none', security: { ipAllowlist: '10.0.0.0/8' } },
				}),
				triggerWorkflow({
					id: plain,
					path: 'security/plain',
					parameters: { verification: 'none' },
				}),
			],
		});
	});
	after(() => n8n?.stop());

	test('X-Forwarded-For is ignored: a client cannot claim an allowed address', async () => {
		const spoofed = await postUnsigned(n8n, 'security/direct', markedEvent(), {
			forwardedFor: '10.1.2.3',
		});
		assert.equal(spoofed.status, 403);
		const [entry, ...more] = await pollUntil(jsonRefusals, (entries) => entries.length >= 1);
		assert.equal(more.length, 0);
		assert.equal((await n8n.executions(allowlisted)).length, 0);
		assert.equal(entry.level, 'warn');
		const { reason, nodeName, workflowId: workflow, client } = entry.metadata;
		assert.deepEqual(
			{ reason, nodeName, workflow, client },
			{
				reason: 'ip_not_allowed',
				nodeName: 'Flow Webhook Trigger',
				workflow: allowlisted,
				client: '::ffff:127.0.0.1',
			},
		);
		assert.equal(entry.metadata.eventId, undefined);
	});

	test('the operator filters by level: at info, duplicates leave no line', async () => {
		const event = markedEvent({ id: `evt_${randomUUID()}` });
		assert.equal((await postUnsigned(n8n, 'security/plain', event)).status, 202);
		const again = await postUnsigned(n8n, 'security/plain', event);
		assert.deepEqual(again.body, { received: true, duplicate: true });
		// A sentinel after the duplicate: a refusal logged at info (an unusable body), whose line
		// comes after any line the duplicate would have left.
		const sentinel = await call(n8n, 'security/plain', {
			body: BODY_MARKER,
			headers: { 'content-type': 'text/plain' },
		});
		assert.equal(sentinel.status, 400);
		const reasons = () => jsonRefusals().map((entry) => entry.metadata.reason);
		assert.deepEqual(
			await pollUntil(reasons, (logged) => logged.includes('invalid_json')),
			['ip_not_allowed', 'invalid_json'],
			'the warning of the previous test and the sentinel, no duplicate',
		);
	});
});
