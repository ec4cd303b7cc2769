// Notify inside a real n8n: signed events reach a real HTTP receiver on loopback, retries happen
// as configured, failures end up where n8n users expect them, and Notify's events are accepted by
// the package's own Flow Webhook Trigger. Each workflow starts with n8n's Webhook node, so a test
// starts a run with one POST and then reads what the receiver got and what n8n recorded.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';

import { Webhook } from 'standardwebhooks';

import {
	chainWorkflow,
	noOpNode,
	notifyWorkflow,
	packageNode,
	SIGNING_SECRET,
	signingCredential,
	signingCredentialRef,
	splitOutNode,
	stopExecution,
	triggerWorkflow,
	webhookStart,
	workflowId,
} from './fixtures.mjs';
import { n8nMajor, sleep, startN8n } from './harness.mjs';
import { accept, failFirst, startReceiver } from './receiver.mjs';

const PACKAGE_VERSION = JSON.parse(
	readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
const standardWebhooks = new Webhook(SIGNING_SECRET);
const signingKey = Buffer.from(SIGNING_SECRET.slice('whsec_'.length), 'base64');
const hmacHex = (content) => createHmac('sha256', signingKey).update(content).digest('hex');

// ---------------------------------------------------------------------------------------------
// The workflows under test.

// Notify's items on the error output carry its report in `details` where n8n routes such items
// there (2.36 and later); on n8n 1.x they hold the error message only, and a test checking the
// report is reported skipped there, after checking the rest.
const NO_DETAILS_ON_ERROR_OUTPUT =
	n8nMajor < 2 && "n8n 1.x puts only the error message on the error output, not Notify's report";

const credentials = { credentials: signingCredentialRef };

/**
 * One event per item of the request; a Notify to the item's URL with the item's retry settings;
 * every output kept apart. With `retryLater`, Notify uses Retry Later (its Retry Later output is
 * left unconnected: these tests look at what leaves on it).
 */
const SINGLE = { id: workflowId('notify single'), path: 'notify-single' };
const SINGLE_LATER = { id: workflowId('notify single later'), path: 'notify-single-later' };
function singleDestinationWorkflow({ retryLater = false } = {}) {
	const { id, path } = retryLater ? SINGLE_LATER : SINGLE;
	return notifyWorkflow({
		id,
		name: `Notify: one destination${retryLater ? ', retry later' : ''}`,
		path,
		parameters: {
			operation: 'sendEvent',
			eventFormat: 'standardWebhooks',
			eventData: '={{ $json.data }}',
			signing: 'standardWebhooks',
			...(retryLater ? { retryMode: 'retryLater' } : {}),
			destinations: {
				destination: [
					{
						url: '={{ $json.url }}',
						headers: { header: [{ name: 'x-scenario', value: '={{ $json.scenario }}' }] },
					},
				],
			},
			options: {
				maxAttempts: '={{ $json.maxAttempts }}',
				baseDelayMs: '={{ $json.baseDelayMs }}',
				maxDelayMs: '={{ $json.maxDelayMs }}',
				timeoutMs: '={{ $json.timeoutMs }}',
				reuseConnections: '={{ $json.reuseConnections }}',
			},
		},
		settings: { onError: 'continueErrorOutput' },
		nodes: [noOpNode('Delivered', [660, -100]), noOpNode('Failed', [660, 100])],
		links: [
			['Notify', 'Delivered', 0],
			['Notify', 'Failed', retryLater ? 2 : 1],
		],
	});
}

/** `count` events, each to five destinations; the node stops the workflow when a delivery fails. */
const FAN_OUT = { id: workflowId('notify fan out'), path: 'notify-fan-out' };
const FAN_OUT_PATHS = [0, 1, 2, 3, 4].map((index) => `/fan-out/${index}`);
function fanOutWorkflow(urlOf) {
	return notifyWorkflow({
		id: FAN_OUT.id,
		name: 'Notify: five destinations',
		path: FAN_OUT.path,
		events:
			'return Array.from({ length: $input.first().json.body.count }, (_, seq) => ({ json: { seq } }));',
		parameters: {
			operation: 'sendEvent',
			eventType: 'load.test',
			signing: 'standardWebhooks',
			destinations: { destination: FAN_OUT_PATHS.map((path) => ({ url: urlOf(path) })) },
			options: {
				concurrency: 25,
				maxAttempts: 5,
				baseDelayMs: 50,
				maxDelayMs: 500,
				timeoutMs: 1500,
			},
		},
	});
}

/**
 * The same events signed GitHub style, then Stripe style, then unsigned as flow session events,
 * then a test event. Each later Notify reads the event from "Events" through n8n's item pairing.
 */
const STYLES = { id: workflowId('notify styles'), path: 'notify-styles' };
function stylesWorkflow(urlOf) {
	const fromEvents = (field) => `={{ $('Events').item.json.${field} }}`;
	const sendTo = (path) => ({ destination: [{ url: urlOf(path) }] });
	const event = {
		operation: 'sendEvent',
		eventType: fromEvents('type'),
		eventData: fromEvents('data'),
	};
	const nodes = [
		packageNode(
			'GitHub Style',
			'notify',
			{ ...event, signing: 'github', destinations: sendTo('/styles/github') },
			[440, 0],
			credentials,
		),
		packageNode(
			'Stripe Style',
			'notify',
			{ ...event, signing: 'stripe', destinations: sendTo('/styles/stripe') },
			[660, 0],
			credentials,
		),
		packageNode(
			'Flow Session',
			'notify',
			{
				...event,
				eventFormat: 'flowSession',
				sessionId: fromEvents('session'),
				flowName: 'Checkout',
				signing: 'none',
				destinations: sendTo('/styles/flow'),
			},
			[880, 0],
		),
		packageNode(
			'Ping',
			'notify',
			{
				operation: 'sendTestEvent',
				signing: 'standardWebhooks',
				destinations: sendTo('/styles/ping'),
			},
			[1100, 0],
			credentials,
		),
	];
	return chainWorkflow({
		id: STYLES.id,
		name: 'Notify: signature styles',
		// Split Out rather than a Code node: n8n 1.123's default expression engine resolves
		// $('<a Code node>').item to null, for n8n's own nodes too.
		nodes: [webhookStart(STYLES.path), splitOutNode('Events', 'body.events', [220, 0]), ...nodes],
	});
}

/** Six destinations: more than Notify accepts. */
const TOO_MANY = { id: workflowId('notify too many'), path: 'notify-too-many' };
const TOO_MANY_PATHS = [0, 1, 2, 3, 4, 5].map((index) => `/too-many/${index}`);
function tooManyWorkflow(urlOf) {
	const urls = TOO_MANY_PATHS.map((path) => ({ url: urlOf(path) }));
	return notifyWorkflow({
		id: TOO_MANY.id,
		name: 'Notify: six destinations',
		path: TOO_MANY.path,
		parameters: { signing: 'standardWebhooks', destinations: { destination: urls } },
	});
}

/** The receiving n8n workflow: Flow Webhook Trigger checking Standard Webhooks signatures with the same credential. */
const INBOX = { id: workflowId('notify inbox'), path: 'notify-inbox' };

// ---------------------------------------------------------------------------------------------

let n8n;
let receiver;

before(async () => {
	receiver = await startReceiver();
	n8n = await startN8n({
		workflows: [
			singleDestinationWorkflow(),
			singleDestinationWorkflow({ retryLater: true }),
			fanOutWorkflow(receiver.url),
			stylesWorkflow(receiver.url),
			tooManyWorkflow(receiver.url),
			triggerWorkflow({
				id: INBOX.id,
				path: INBOX.path,
				parameters: { verification: 'standardWebhooks' },
			}),
		],
		credentials: [signingCredential],
	});
});

after(async () => {
	await n8n?.stop();
	await receiver?.close();
});

beforeEach(() => receiver.reset());

/**
 * Starts a workflow with `body` and returns the finished run with what each node output. The Start
 * node answers only when the run has ended; waiting on that request, rather than polling n8n's
 * database (which blocks this process, receiver included), keeps the receiver's timings true.
 */
async function run({ id, path }, body, instance = n8n) {
	const before = (await instance.executions(id)).length;
	await fetch(instance.webhookUrl(path), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const executions = await instance.waitForExecutions(id, before + 1);
	assert.equal(executions.length, before + 1, `no finished run of ${path}`);
	const execution = executions.at(-1);
	return { execution, output: await instance.executionOutput(execution.id) };
}

/** The error a failed run ended with. */
async function runError(executionId) {
	const [row] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		executionId,
	]);
	return row.data.resultData.error;
}

/** One event for the single-destination workflow, with quick retry settings unless the test says otherwise. */
function singleEvent(scenario, overrides = {}) {
	return {
		scenario,
		type: 'order.created',
		url: receiver.url(`/${scenario}`),
		data: { order: scenario },
		maxAttempts: 5,
		baseDelayMs: 100,
		maxDelayMs: 2000,
		timeoutMs: 2000,
		reuseConnections: true,
		...overrides,
	};
}

const gaps = (requests) =>
	requests.slice(1).map((request, index) => request.at - requests[index].at);

// ---------------------------------------------------------------------------------------------

describe('Notify delivers signed events', () => {
	test('each item becomes an event signed so that the standardwebhooks library verifies it', async () => {
		const { execution, output } = await run(SINGLE, {
			events: [
				singleEvent('signed', { data: { order: 1, name: 'Zoë ✓' } }),
				singleEvent('signed', { data: { order: 2 } }),
			],
		});
		assert.equal(execution.status, 'success');

		const requests = receiver.requests('/signed');
		assert.equal(requests.length, 2);
		for (const request of requests) {
			const payload = standardWebhooks.verify(request.body, request.headers);
			assert.equal(
				payload.type,
				'order.created',
				'the default Event Type expression reads the item type',
			);
			assert.ok(!Number.isNaN(Date.parse(payload.timestamp)));
			assert.equal(request.headers['content-type'], 'application/json');
			assert.equal(request.headers['user-agent'], `n8n-nodes-flow-webhooks/${PACKAGE_VERSION}`);
			assert.equal(request.headers['x-scenario'], 'signed');
		}
		assert.deepEqual(
			requests.map((request) => JSON.parse(request.body).data),
			[{ order: 1, name: 'Zoë ✓' }, { order: 2 }],
		);

		const [delivered, failed] = output.Notify;
		assert.deepEqual(failed, []);
		assert.deepEqual(
			delivered.map((report) => report.eventId),
			requests.map((request) => request.headers['webhook-id']),
			'one report per item, carrying the event ID the receiver saw',
		);
		assert.notEqual(delivered[0].eventId, delivered[1].eventId);
		assert.deepEqual(delivered[0].deliveries, [
			{
				url: receiver.url('/signed'),
				ok: true,
				status: 200,
				attempts: 1,
				durationMs: delivered[0].deliveries[0].durationMs,
				error: null,
				responseBody: '{"ok":true}',
				history: [{ at: delivered[0].deliveries[0].history[0].at, status: 200, error: null }],
			},
		]);
	});

	for (const reuseConnections of [true, false]) {
		test(`a receiver failing twice gets the same event three times, then the delivery succeeds (reuse connections: ${reuseConnections})`, async () => {
			receiver.on('/flaky', failFirst(2, 503));
			const { output } = await run(SINGLE, {
				events: [singleEvent('flaky', { baseDelayMs: 200, reuseConnections })],
			});

			const requests = receiver.requests('/flaky');
			assert.equal(requests.length, 3);
			assert.equal(
				new Set(requests.map((request) => request.headers['webhook-id'])).size,
				1,
				'one event ID across retries',
			);
			assert.equal(
				new Set(requests.map((request) => request.body)).size,
				1,
				'the same bytes on every attempt',
			);
			requests.forEach((request) => standardWebhooks.verify(request.body, request.headers));
			// Full jitter: the waits stay below 200 ms, then 400 ms (plus time on the wire and through n8n).
			const [first, second] = gaps(requests);
			assert.ok(first < 200 + 300, `first wait ${first} ms`);
			assert.ok(second < 400 + 300, `second wait ${second} ms`);

			const [[report]] = output.Notify;
			assert.deepEqual(
				report.deliveries.map(({ ok, status, attempts, error }) => ({
					ok,
					status,
					attempts,
					error,
				})),
				[{ ok: true, status: 200, attempts: 3, error: null }],
			);
		});
	}

	test('a 429 with Retry-After: 1 is retried after the second the receiver asked for', async () => {
		receiver.on('/rate-limited', failFirst(1, 429, { 'retry-after': '1' }));
		const { output } = await run(SINGLE, {
			events: [singleEvent('rate-limited', { baseDelayMs: 10 })],
		});

		const requests = receiver.requests('/rate-limited');
		assert.equal(requests.length, 2);
		const [wait] = gaps(requests);
		assert.ok(
			wait >= 950 && wait < 2500,
			`waited ${wait} ms; the backoff alone would wait under 10 ms`,
		);
		assert.equal(output.Notify[0][0].deliveries[0].attempts, 2);
	});

	test('a 400 is final: no retry, and the report goes to the error output', async (t) => {
		receiver.on('/rejects', (_request, response) =>
			response
				.writeHead(400, { 'content-type': 'application/json' })
				.end('{"error":"unknown order"}'),
		);
		const { execution, output } = await run(SINGLE, {
			events: [singleEvent('rejects', { baseDelayMs: 10 })],
		});

		assert.equal(execution.status, 'success', 'the error output keeps the workflow running');
		assert.equal(receiver.requests('/rejects').length, 1);
		const [delivered, failed] = output.Notify;
		assert.deepEqual(delivered, []);
		assert.equal(failed.length, 1);
		const [item] = failed;
		assert.equal(
			item.scenario,
			'rejects',
			"n8n adds the input item's fields to items on the error output",
		);
		assert.match(
			item.error,
			/^1 of 1 deliveries of event \S+ failed: http:\/\/127\.0\.0\.1:\d+\/rejects: HTTP 400 \(1 attempt\)$/,
		);
		assert.deepEqual(output.Failed, [failed]);
		if (NO_DETAILS_ON_ERROR_OUTPUT) return t.skip(NO_DETAILS_ON_ERROR_OUTPUT);
		assert.deepEqual(
			item.details.deliveries.map(({ ok, status, attempts, error, responseBody }) => ({
				ok,
				status,
				attempts,
				error,
				responseBody,
			})),
			[
				{
					ok: false,
					status: 400,
					attempts: 1,
					error: 'HTTP 400',
					responseBody: '{"error":"unknown order"}',
				},
			],
		);
	});

	for (const reuseConnections of [true, false]) {
		test(`a receiver that never answers hits the timeout on each attempt (reuse connections: ${reuseConnections})`, async (t) => {
			receiver.on('/hangs', () => {});
			const { output } = await run(SINGLE, {
				events: [
					singleEvent('hangs', {
						maxAttempts: 2,
						timeoutMs: 500,
						baseDelayMs: 10,
						reuseConnections,
					}),
				],
			});

			assert.equal(receiver.requests('/hangs').length, 2);
			const [, [failed]] = output.Notify;
			assert.match(failed.error, /: No answer within 500 ms \(2 attempts\)$/);
			if (NO_DETAILS_ON_ERROR_OUTPUT) return t.skip(NO_DETAILS_ON_ERROR_OUTPUT);
			const [delivery] = failed.details.deliveries;
			assert.deepEqual(
				{
					ok: delivery.ok,
					status: delivery.status,
					attempts: delivery.attempts,
					error: delivery.error,
				},
				{
					ok: false,
					status: null,
					attempts: 2,
					error: 'No answer within 500 ms',
				},
			);
			assert.ok(
				delivery.durationMs >= 1000 && delivery.durationMs < 3000,
				`took ${delivery.durationMs} ms`,
			);
		});
	}

	test('stopping the execution stops the retries: nothing more is sent', async () => {
		// Without cancellation the node would send its second attempt 3 s after the first.
		receiver.on('/stopped', (_request, response) =>
			response.writeHead(503, { 'retry-after': '3' }).end(),
		);
		const before = (await n8n.executions(SINGLE.id)).length;
		const finished = fetch(n8n.webhookUrl(SINGLE.path), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ events: [singleEvent('stopped', { maxDelayMs: 10_000 })] }),
		});
		await receiver.waitForRequests('/stopped', 1);
		const [firstAttempt] = receiver.requests('/stopped');
		const [running] = (await n8n.executions(SINGLE.id)).slice(before);
		await stopExecution(n8n, running.id);
		await finished;

		const [execution] = (await n8n.waitForExecutions(SINGLE.id, before + 1)).slice(before);
		assert.equal(execution.status, 'canceled');
		await sleep(firstAttempt.at + 4000 - Date.now());
		assert.equal(receiver.requests('/stopped').length, 1, 'no attempt after the stop');
	});
});

describe('Notify with Retry Later refuses retry items it did not write', () => {
	test('a made-up retry state is refused on the error path and nothing is sent', async () => {
		const forged = {
			version: 1,
			eventId: 'evt_forged',
			type: 'order.created',
			body: '{"type":"order.created","data":{"refund":1000}}',
			round: 1,
			nextAttemptAt: new Date().toISOString(),
			owed: [{ url: receiver.url('/forged'), headers: {}, attempts: 1, history: [] }],
			seal: 'made-up',
		};
		const { execution, output } = await run(SINGLE_LATER, {
			events: [singleEvent('forged', { retry: forged })],
		});

		assert.equal(execution.status, 'success');
		assert.deepEqual(receiver.requests('/forged'), []);
		const [sent, retryLater, [refused]] = output.Notify;
		assert.deepEqual([sent, retryLater], [[], []]);
		assert.equal(
			refused.error,
			"The item's retry state was changed after Notify wrote it, or was sealed with another signing secret; Notify does not send it.",
		);
	});
});

describe('Notify at volume', () => {
	test(
		'1,000 events to five destinations arrive exactly once per event and destination',
		{ timeout: 120_000 },
		async () => {
			const paths = FAN_OUT_PATHS;
			// Per destination: the first body received under each event ID. Later requests with a
			// known ID are retries the receiver drops, as a receiver deduplicating by webhook-id does.
			const accepted = new Map(paths.map((path) => [path, new Map()]));
			const problems = [];
			let seen = 0;
			for (const path of paths) {
				receiver.on(path, (request, response) => {
					seen += 1;
					try {
						standardWebhooks.verify(request.body, request.headers);
					} catch (error) {
						problems.push(`${path}: ${error.message}`);
					}
					// Every 97th request fails outright; every 401st is processed but never answered, so the
					// sender times out and retries an event the receiver already has.
					if (seen % 97 === 0) return response.writeHead(503).end();
					const id = request.headers['webhook-id'];
					const bodies = accepted.get(path);
					if (!bodies.has(id)) bodies.set(id, request.body);
					else if (bodies.get(id) !== request.body)
						problems.push(`${path}: a retry of ${id} carried other bytes`);
					if (seen % 401 === 0) return;
					accept(request, response);
				});
			}

			const started = Date.now();
			const { execution, output } = await run(FAN_OUT, { count: 1000 });
			const elapsed = Date.now() - started;
			assert.equal(execution.status, 'success');

			const reports = output.Notify[0];
			assert.equal(reports.length, 1000);
			const eventIds = new Set(reports.map((report) => report.eventId));
			assert.equal(eventIds.size, 1000);
			assert.ok(
				reports.every(
					(report) =>
						report.deliveries.length === 5 && report.deliveries.every((delivery) => delivery.ok),
				),
			);

			const raw = paths.flatMap((path) => receiver.requests(path));
			assert.ok(
				raw.length > 5000,
				`retries happened (${raw.length} requests for 5,000 deliveries)`,
			);
			for (const path of paths) {
				assert.deepEqual(
					new Set(accepted.get(path).keys()),
					eventIds,
					`${path} has every event once`,
				);
			}
			assert.deepEqual(problems, []);
			const attempts = reports
				.flatMap((report) => report.deliveries)
				.reduce((sum, delivery) => sum + delivery.attempts, 0);
			assert.equal(attempts, raw.length, 'the reports count every request the receiver saw');
			assert.ok(
				receiver.connections() < raw.length / 10,
				`connections are reused: ${receiver.connections()} for ${raw.length} requests`,
			);
			assert.ok(elapsed < 60_000, `took ${elapsed} ms`);
		},
	);

	test('a failing destination does not stop the others; the node fails after every delivery was attempted', async () => {
		const refusing = FAN_OUT_PATHS[2];
		receiver.on(refusing, (_request, response) => response.writeHead(400).end('no'));
		const { execution } = await run(FAN_OUT, { count: 4 });

		assert.equal(execution.status, 'error');
		for (const path of FAN_OUT_PATHS)
			assert.equal(receiver.requests(path).length, 4, `${path} got all four events, once each`);
		const error = await runError(execution.id);
		assert.equal(error.name, 'NodeApiError');
		assert.equal(error.message, `4 of 20 deliveries failed: ${receiver.url(refusing)} (HTTP 400)`);
		assert.ok(
			error.description.includes(`: ${receiver.url(refusing)}: HTTP 400 (1 attempt)`),
			error.description,
		);
		assert.match(error.description, /^Item 3, event [0-9a-f-]{36}: /m);
	});
});

describe('Notify signature styles and formats', () => {
	test('GitHub and Stripe signatures, flow session events and test events arrive as specified', async () => {
		const events = [
			{ type: 'order.paid', data: { order: 1 }, session: 'sess-1' },
			{ type: 'order.shipped', data: { order: 2 }, session: 'sess-2' },
		];
		const { execution, output } = await run(STYLES, { events });
		assert.equal(execution.status, 'success');

		const github = receiver.requests('/styles/github');
		assert.deepEqual(
			github.map((request) => JSON.parse(request.body).type),
			['order.paid', 'order.shipped'],
		);
		for (const request of github) {
			assert.equal(request.headers['x-hub-signature-256'], `sha256=${hmacHex(request.body)}`);
		}
		// GitHub's delivery header carries each event's own id, the one Notify reports.
		const eventIds = output['GitHub Style'][0].map((report) => report.eventId);
		assert.equal(new Set(eventIds).size, 2, `two distinct event ids: ${eventIds}`);
		assert.deepEqual(
			github.map((request) => request.headers['x-github-delivery']),
			eventIds,
		);

		const stripe = receiver.requests('/styles/stripe');
		assert.equal(stripe.length, 2);
		for (const request of stripe) {
			const [, timestamp, signature] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(
				request.headers['stripe-signature'],
			);
			assert.equal(signature, hmacHex(`${timestamp}.${request.body}`));
			assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60);
		}

		const flow = receiver.requests('/styles/flow');
		assert.deepEqual(
			flow.map((request) => {
				const { session_id, event, flow_name, success, data, created, id } = JSON.parse(
					request.body,
				);
				assert.ok(Number.isInteger(created) && typeof id === 'string');
				return { session_id, event, flow_name, success, data };
			}),
			[
				{
					session_id: 'sess-1',
					event: 'order.paid',
					flow_name: 'Checkout',
					success: true,
					data: { order: 1 },
				},
				{
					session_id: 'sess-2',
					event: 'order.shipped',
					flow_name: 'Checkout',
					success: true,
					data: { order: 2 },
				},
			],
			'each later Notify found its own event through item pairing',
		);
		flow.forEach((request) =>
			assert.equal(request.headers['webhook-signature'], undefined, 'unsigned'),
		);

		const pings = receiver.requests('/styles/ping');
		assert.equal(pings.length, 1, 'one test event per run, not per item');
		assert.equal(standardWebhooks.verify(pings[0].body, pings[0].headers).type, 'ping');
	});

	test('more than five destinations fail the run before anything is sent', async () => {
		const { execution } = await run(TOO_MANY, { events: [{}] });
		assert.equal(execution.status, 'error');
		// n8n checks the node's limit of five before running it; Notify's own check stands behind that.
		assert.match(
			(await runError(execution.id)).message,
			n8nMajor >= 2 ? /At most 5 fields are allowed/ : /The workflow has issues/,
		);
		assert.deepEqual(
			TOO_MANY_PATHS.flatMap((path) => receiver.requests(path)),
			[],
		);
	});
});

describe('Notify and the Flow Webhook Trigger', () => {
	test("the trigger accepts Notify's signed events and starts its workflow with them", async () => {
		const event = singleEvent('inbox', {
			type: 'invoice.paid',
			data: { invoice: 'INV-7', amount: 42 },
			url: n8n.webhookUrl(INBOX.path),
		});
		const { output } = await run(SINGLE, { events: [event] });

		const [[report]] = output.Notify;
		const [delivery] = report.deliveries;
		assert.equal(delivery.status, 202);
		assert.deepEqual(JSON.parse(delivery.responseBody), { received: true, id: report.eventId });

		const [triggered] = await n8n.waitForExecutions(INBOX.id, 1);
		assert.equal(triggered.status, 'success');
		const [[received]] = (await n8n.executionOutput(triggered.id))['Flow Webhook Trigger'];
		assert.equal(received.id, report.eventId);
		assert.equal(received.event, 'invoice.paid');
		assert.deepEqual(received.data, { invoice: 'INV-7', amount: 42 });
	});
});

describe(
	"Notify under n8n's outbound request policy",
	{ skip: n8nMajor < 2 && 'n8n 1.x has no outbound request policy' },
	() => {
		let guarded;
		before(async () => {
			// The instance's SSRF protection blocks private and loopback addresses, the receiver's included.
			guarded = await startN8n({
				workflows: [singleDestinationWorkflow(), singleDestinationWorkflow({ retryLater: true })],
				credentials: [signingCredential],
				env: { N8N_SSRF_PROTECTION_ENABLED: 'true' },
			});
		});
		after(() => guarded?.stop());

		for (const reuseConnections of [true, false]) {
			test(`a destination the policy forbids is refused without a request or a retry (reuse connections: ${reuseConnections})`, async () => {
				const { output } = await run(
					SINGLE,
					{ events: [singleEvent('guarded', { baseDelayMs: 10, reuseConnections })] },
					guarded,
				);

				assert.deepEqual(receiver.requests('/guarded'), []);
				const [, [failed]] = output.Notify;
				const [delivery] = failed.details.deliveries;
				assert.equal(delivery.ok, false);
				assert.equal(delivery.attempts, 1);
				assert.match(delivery.error, /blocked/i);
			});
		}

		test('with Retry Later, a destination the policy forbids ends on the error path, not on Retry Later', async () => {
			const { output } = await run(
				SINGLE_LATER,
				{ events: [singleEvent('guarded-later', { baseDelayMs: 10 })] },
				guarded,
			);

			assert.deepEqual(receiver.requests('/guarded-later'), []);
			const [sent, retryLater, [failed]] = output.Notify;
			assert.deepEqual(sent, []);
			assert.deepEqual(retryLater, [], 'nothing to retry: the policy will refuse it again');
			assert.match(failed.error, /blocked/i);
			assert.deepEqual(output.Failed, [[failed]]);
		});
	},
);
