// The three nodes in n8n's queue mode: one main process, two workers and two webhook processes on
// PostgreSQL and Redis (see harness.mjs). Requests alternate between the two webhook processes the
// way a load balancer spreads them; what the tests read back comes straight from PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
	flowEvent,
	providerCredentials,
	savedEventIds,
	signingCredential,
	signedRequest,
} from '../e2e/fixtures.mjs';
import { pollUntil, sleep, startQueueN8n } from './harness.mjs';
import { accept, failFirst, startReceiver } from '../e2e/receiver.mjs';
import { between, seededRandom, testSeed } from '../e2e/random.mjs';
import {
	acknowledged,
	burstWithKill,
	deliverSigned,
	fromConcurrentSenders,
	redeliverUntilAcknowledged,
	SENDERS,
} from '../e2e/senders.mjs';
import { CRASH_TRIGGER, ids, paths, queueWorkflows, STORED_WAIT_SECONDS } from './workflows.mjs';

/** Spacing of redeliveries, like a sender's retries. */
const RETRY_SPACING_MS = 1100;

/** The queue workflows' events: orders, numbered by `step`. */
function orderEvent(step, id = undefined) {
	return flowEvent({ ...(id ? { id } : {}), event: 'order.created', data: { step } });
}

let n8n;
let receiver;
const DESTINATIONS = ['/orders/a', '/orders/b'];
const LATER_DESTINATION = '/orders/later';

/** A signed delivery; a redelivery of the same event keeps its message id, as senders do. */
async function send(path, processIndex, event) {
	const { body, headers } = signedRequest(event, { id: `msg_${event.id}` });
	const response = await fetch(n8n.webhookUrl(path, processIndex), {
		method: 'POST',
		headers,
		body,
	});
	return { status: response.status, body: await response.json() };
}

/** GET of a published dataset from webhook process `processIndex`: what a poller sees. */
async function read(path, processIndex) {
	const response = await fetch(n8n.webhookUrl(path, processIndex));
	return {
		status: response.status,
		etag: response.headers.get('etag'),
		lastModified: response.headers.get('last-modified'),
		body: await response.json(),
	};
}

async function feedCatalog(path, processIndex, items) {
	const response = await fetch(n8n.webhookUrl(path, processIndex), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	assert.equal(response.status, 200, await response.text());
}

async function executionCount(workflowId) {
	return (await n8n.executions(workflowId)).length;
}

/** Waits until the workflow has `count` finished executions, all successful, run by one worker each. */
async function expectRunsOnWorkers(workflowId, count) {
	const done = await n8n.waitForExecutions(workflowId, count);
	const all = await n8n.executions(workflowId);
	assert.equal(all.length, count, `${workflowId}: ${all.length} executions, expected ${count}`);
	for (const execution of done) {
		assert.equal(execution.status, 'success', `execution ${execution.id}`);
		const ranOn = n8n.processesThatRan(execution.id);
		assert.equal(ranOn.length, 1, `execution ${execution.id} ran on ${ranOn.join(', ')}`);
		assert.match(ranOn[0], /^worker-\d$/);
	}
	return done;
}

/** Waits until the trigger's saved record in the workflow's static data holds `id`. */
async function waitForStoredId(workflowId, triggerName, id) {
	const stored = await pollUntil(
		async () => savedEventIds(await n8n.staticData(workflowId), [id], triggerName),
		(ids) => ids.includes(id),
		{ timeoutMs: 30_000, intervalMs: 250 },
	);
	assert.ok(stored.includes(id), `${id} was never saved`);
}

/** A failing answer to the first attempt of each event (by its webhook-id), then 200. */
function failFirstOfEachEvent(status) {
	const failing = failFirst(Infinity, status);
	return (request, response) => {
		const attempts = receiver
			.requests(request.path)
			.filter((earlier) => earlier.headers['webhook-id'] === request.headers['webhook-id']);
		(attempts.length === 1 ? failing : accept)(request, response);
	};
}

/** Attempts at `path` (answered `status`, when given): the id of each one's event, sorted. */
function attemptedEventIds(path, status = undefined) {
	return receiver
		.requests(path)
		.filter((record) => !status || record.status === status)
		.map((record) => record.headers['webhook-id'])
		.sort();
}

before(async () => {
	receiver = await startReceiver();
	receiver.on('/orders/b', failFirstOfEachEvent(503));
	n8n = await startQueueN8n({
		workflows: queueWorkflows({
			notifyDestinations: DESTINATIONS.map(receiver.url),
			notifyLaterDestination: receiver.url(LATER_DESTINATION),
		}),
		credentials: [signingCredential, ...providerCredentials],
	});
});

after(async () => {
	await n8n?.stop();
	await receiver?.close();
});

describe('workflow static data on workers', () => {
	test('providers in the triggered workflow: worker runs publish through the webhook, Append reaches version 2 and the catalog stays at version 1', async () => {
		await feedCatalog(paths.directCatalogFeed, 0, [{ sku: 'a' }, { sku: 'b' }]);
		assert.equal((await read(paths.directCatalog, 1)).body.meta.version, 1);

		const first = await send(paths.directEvents, 1, orderEvent(1, 'evt_direct_1'));
		assert.deepEqual(first, { status: 202, body: { received: true, id: 'msg_evt_direct_1' } });
		await expectRunsOnWorkers(ids.direct, 2);
		const second = await send(paths.directEvents, 0, orderEvent(2, 'evt_direct_2'));
		assert.deepEqual(second, { status: 202, body: { received: true, id: 'msg_evt_direct_2' } });
		const runs = await expectRunsOnWorkers(ids.direct, 3);

		// n8n 2.41 starts these worker runs without the workflow's static data and saves what a run
		// changed over the whole column. The providers change nothing in the run: each publishes
		// through its webhook, where n8n loads the stored data, so Append continues and the Catalog stays.
		// This trigger keeps no duplicate record, so no save of its own races the publishes.
		const log = await read(paths.directLog, 0);
		assert.deepEqual(
			log.body.data.map((entry) => entry.step),
			[1, 2],
		);
		assert.equal(log.body.meta.version, 2);
		assert.equal((await read(paths.directCatalog, 0)).body.meta.version, 1);
		// In the runs the trigger started, the provider warns about its placement in its output pane
		// (README: Running at scale), and about nothing else; the catalog feed's run warns of nothing.
		const warnings = async (run, node) =>
			(await n8n.executionHints(run.id, node))
				.filter((hint) => hint.type === 'warning')
				.map((hint) => hint.message);
		const [feedRun, ...eventRuns] = runs;
		assert.deepEqual(await warnings(feedRun, 'Direct Catalog'), []);
		assert.equal(eventRuns.length, 2);
		for (const run of eventRuns) {
			const shown = await warnings(run, 'Direct Log');
			assert.equal(shown.length, 1, `Direct Log in execution ${run.id}: ${shown.join(' | ')}`);
			assert.match(shown[0], /^A Flow Webhook Trigger starts this workflow: /);
		}
	});

	test(
		'…and a trigger that records its ids keeps them beside the datasets',
		{
			todo: "the trigger saves its ids after n8n answered, while the run publishes: the two saves of the workflow's static data can overwrite each other (README: Running at scale)",
		},
		async () => {
			for (const step of [3, 4]) {
				const event = orderEvent(step, `evt_direct_${step}`);
				assert.equal((await send(paths.directRecordedEvents, step % 2, event)).status, 202);
			}
			await expectRunsOnWorkers(ids.direct, 5);
			const log = await read(paths.directLog, 0);
			assert.deepEqual(
				log.body.data.map((entry) => entry.step),
				[1, 2, 3, 4],
			);
			// Saved within a second of being accepted (the trigger spaces its saves).
			const sent = ['msg_evt_direct_3', 'msg_evt_direct_4'];
			const accepted = await pollUntil(
				async () => savedEventIds(await n8n.staticData(ids.direct), sent, 'Direct Recorded Events'),
				(saved) => saved.length >= 2,
				{ timeoutMs: 30_000, intervalMs: 250 },
			);
			assert.deepEqual(accepted.sort(), sent);
			const redelivery = await send(paths.directRecordedEvents, 1, orderEvent(3, 'evt_direct_3'));
			assert.equal(redelivery.body.duplicate, true);
		},
	);

	test('providers in a called workflow: no publish erases another dataset or the duplicate store', async () => {
		await feedCatalog(paths.catalogFeed, 0, [{ sku: 'a' }, { sku: 'b' }]);
		const first = await send(paths.events, 0, orderEvent(1, 'evt_first'));
		assert.equal(first.status, 202);
		await expectRunsOnWorkers(ids.events, 1);
		assert.equal((await send(paths.events, 1, orderEvent(2, 'evt_second'))).status, 202);
		await expectRunsOnWorkers(ids.events, 2);
		await feedCatalog(paths.catalogFeed, 1, [{ sku: 'c' }]);

		const log = await read(paths.eventLog, 1);
		assert.deepEqual(
			log.body.data.map((entry) => entry.id),
			['msg_evt_first', 'msg_evt_second'],
		);
		assert.equal(log.body.meta.version, 2);
		const catalog = await read(paths.catalog, 0);
		assert.deepEqual(catalog.body.data, [{ target: 'catalog', sku: 'c' }]);
		assert.equal(catalog.body.meta.version, 2);

		await waitForStoredId(ids.events, 'Events In', 'msg_evt_first');
		await waitForStoredId(ids.events, 'Events In', 'msg_evt_second');
		assert.deepEqual(Object.keys(await n8n.staticData(ids.publisher)).sort(), [
			'node:Catalog',
			'node:Event Log',
		]);
		// Called four times: by the two catalog feeds and the two events' runs.
		const calls = await n8n.executions(ids.publisher);
		assert.equal(calls.length, 4, `publisher called ${calls.length} times`);
		for (const call of calls) {
			for (const node of ['Event Log', 'Catalog']) {
				assert.deepEqual(
					(await n8n.executionHints(call.id, node)).filter((hint) => hint.type === 'warning'),
					[],
				);
			}
		}
	});
});

describe('duplicate deliveries across webhook processes', () => {
	test('redeliveries alternating between the processes, ≥ 1 s apart, start one execution', async () => {
		const before = await executionCount(ids.events);
		const event = orderEvent(3);
		const statuses = [];
		for (let attempt = 0; attempt < 4; attempt++) {
			if (attempt > 0) await sleep(RETRY_SPACING_MS);
			const answer = await send(paths.events, attempt % 2, event);
			statuses.push(answer.body.duplicate ? 'duplicate' : answer.status);
		}
		assert.deepEqual(statuses, [202, 'duplicate', 'duplicate', 'duplicate']);
		await sleep(RETRY_SPACING_MS);
		await expectRunsOnWorkers(ids.events, before + 1);
	});

	test('the same event sent to both processes at once: at most one execution per process, then duplicates everywhere', async (t) => {
		const before = await executionCount(ids.events);
		const events = [4, 5, 6, 7, 8].map((step) => orderEvent(step));
		const accepted = await Promise.all(
			events.map(async (event) => {
				const answers = await Promise.all([0, 1].map((index) => send(paths.events, index, event)));
				return answers.filter((answer) => answer.status === 202).length;
			}),
		);
		const both = accepted.filter((count) => count === 2).length;
		t.diagnostic(
			`${both} of ${events.length} events sent to both processes at once were accepted twice`,
		);
		for (const count of accepted) assert.ok(count === 1 || count === 2, `accepted ${count} times`);

		await sleep(RETRY_SPACING_MS);
		for (const event of events) {
			for (const index of [0, 1]) {
				const retry = await send(paths.events, index, event);
				assert.equal(retry.body.duplicate, true, `retry of ${event.id} to process ${index}`);
			}
		}
		const total = accepted.reduce((sum, count) => sum + count, 0);
		await expectRunsOnWorkers(ids.events, before + total);
	});

	// How many redeliveries of the burst below started a run: the known issue's count.
	let redeliveriesRun;

	test('a burst of distinct events over both processes, then redeliveries to the other process: each event runs, at most 3 of 12 again', async () => {
		const before = await executionCount(ids.events);
		const events = Array.from({ length: 12 }, (_, step) => orderEvent(100 + step));
		const answers = await Promise.all(
			events.map((event, index) => send(paths.events, index % 2, event)),
		);
		assert.deepEqual(
			answers,
			events.map((event) => ({ status: 202, body: { received: true, id: `msg_${event.id}` } })),
		);
		await sleep(RETRY_SPACING_MS);
		const redelivered = [];
		for (const [index, event] of events.entries()) {
			redelivered.push(await send(paths.events, (index + 1) % 2, event));
		}
		await n8n.settle(ids.events);
		redeliveriesRun = redelivered.filter((answer) => answer.status === 202).length;
		console.log(`# ${redeliveriesRun} of ${events.length} redeliveries started a run`);
		// Each process puts back ids the other's save dropped on its next verified request, which
		// took this from 6 of 12 to 1–3 of 12 (README: Running at scale).
		assert.ok(redeliveriesRun <= 3, `${redeliveriesRun} of ${events.length} redeliveries ran`);
		await expectRunsOnWorkers(ids.events, before + events.length + redeliveriesRun);
	});

	test(
		'…and none of those redeliveries starts a run',
		{
			todo: 'ids accepted by one process while the other saves can be lost until the first process handles another verified request (README: Running at scale)',
		},
		() => {
			assert.equal(redeliveriesRun, 0, `${redeliveriesRun} of 12 redeliveries started a run`);
		},
	);
});

describe('Notify on workers', () => {
	test('every event is accepted exactly once per destination, retries included', async () => {
		const events = Array.from({ length: 12 }, (_, step) => orderEvent(step));
		const answers = await Promise.all(
			events.map((event, index) => send(paths.orders, index % 2, event)),
		);
		assert.deepEqual(
			answers.map((answer) => answer.status),
			events.map(() => 202),
		);
		await expectRunsOnWorkers(ids.notify, events.length);

		const expected = events.map((event) => `msg_${event.id}`).sort();
		for (const destination of DESTINATIONS) {
			assert.deepEqual(attemptedEventIds(destination, 200), expected, `accepted by ${destination}`);
		}
		assert.deepEqual(
			attemptedEventIds('/orders/a'),
			expected,
			'one attempt each where the first succeeds',
		);
		assert.deepEqual(
			attemptedEventIds('/orders/b', 503),
			expected,
			'a retry after each first failure, no more',
		);
	});
});

describe('Notify with Retry Later on workers', () => {
	test(
		'an event owed after the in-run attempts waits in the database and is delivered once by a worker',
		{ timeout: (STORED_WAIT_SECONDS + 90) * 1000 },
		async () => {
			receiver.on(LATER_DESTINATION, failFirst(Infinity, 503));
			const event = orderEvent('later');
			const answer = await send(paths.laterOrders, 0, event);
			assert.equal(answer.status, 202);
			const waitFor = async (status, timeoutMs) => {
				const [execution] = await pollUntil(
					() => n8n.executions(ids.notifyLater),
					([first]) => first?.status === status,
					{ timeoutMs, intervalMs: 250 },
				);
				assert.equal(execution?.status, status, `the execution is ${execution?.status}`);
				return execution;
			};
			const waiting = await waitFor('waiting', 30_000);
			const sentTo = () => receiver.requests(LATER_DESTINATION);
			assert.deepEqual(
				sentTo().map((record) => record.status),
				[503, 503],
			);
			receiver.on(LATER_DESTINATION, accept);

			const done = await waitFor('success', (STORED_WAIT_SECONDS + 70) * 1000);
			assert.equal(done.id, waiting.id, 'the same execution, resumed');
			const attempts = sentTo();
			assert.deepEqual(
				attempts.map((record) => record.status),
				[503, 503, 200],
				'delivered once after the wait',
			);
			assert.equal(
				new Set(attempts.map((record) => record.headers['webhook-id'])).size,
				1,
				'one event id',
			);
			const ranOn = n8n.processesThatRan(done.id);
			assert.ok(ranOn.length > 0, 'no worker logged the execution');
			for (const name of ranOn) assert.match(name, /^worker-\d$/);
		},
	);
});

describe('published data across webhook processes and restarts', () => {
	test('both webhook processes serve the same data, before and after every process restarts', async () => {
		const served = async () => {
			const views = [];
			for (const path of [paths.eventLog, paths.catalog, paths.directLog, paths.directCatalog]) {
				const [first, second] = [await read(path, 0), await read(path, 1)];
				assert.equal(first.status, 200);
				assert.deepEqual(second, first, `${path} differs between the webhook processes`);
				views.push(first);
			}
			return views;
		};
		// An id accepted and saved just before the restart, its run (and the publish it calls) done.
		const accepted = await send(paths.events, 0, orderEvent(1, 'evt_before_restart'));
		assert.equal(accepted.status, 202);
		await waitForStoredId(ids.events, 'Events In', 'msg_evt_before_restart');
		await n8n.settle(ids.events);
		await n8n.settle(ids.publisher);
		const beforeRestart = await served();
		assert.ok(beforeRestart[0].body.meta.version >= 3, 'the event log holds the runs so far');
		// The direct log's content is not checked: its workflow is started by the trigger, whose
		// saves can undo a publish there (the known issue in "workflow static data on workers").
		await n8n.restart();
		assert.deepEqual(await served(), beforeRestart);

		const retry = await send(paths.events, 1, orderEvent(1, 'evt_before_restart'));
		assert.equal(retry.body.duplicate, true, 'accepted ids survive the restart too');
	});
});

describe('a webhook process killed during a burst', () => {
	test('every acknowledged event is run by a worker, and every event runs after redelivery', async () => {
		const random = seededRandom(testSeed('queue crash test'));
		const victim = `webhook-${between(random, 1, 2)}`;
		const events = Array.from({ length: 120 }, (_, step) => orderEvent(step));
		// Spread over both processes, as a load balancer does; the redeliveries keep alternating.
		const deliver = (event, index) => deliverSigned(n8n.webhookUrl(paths.crash, index % 2), event);
		const statuses = await burstWithKill(events, {
			deliver,
			killAfter: between(random, 8, 60),
			kill: () => n8n.kill(victim),
		});
		// Every execution the victim stored is in by now: it is dead.
		const storedBeforeRestart = Math.max(
			0,
			...(await n8n.executions(ids.crash)).map(({ id }) => Number(id)),
		);
		await n8n.startProcess(victim);

		const answered = events.filter(({ id }) => acknowledged(statuses.get(id)));
		await n8n.waitForExecutions(ids.crash, answered.length, 120_000);
		const ran = new Set(
			(await n8n.executionsWithEvent(ids.crash, CRASH_TRIGGER))
				.filter((execution) => execution.status === 'success')
				.map((execution) => execution.eventId),
		);
		const lost = answered.filter(({ id }) => !ran.has(id)).map(({ id }) => id);
		console.log(
			`# ${victim} killed: sent ${events.length}, acknowledged ${answered.length}, lost ${lost.length}`,
		);
		assert.deepEqual(lost, [], 'every event answered 2xx was run by a worker');

		await fromConcurrentSenders(events, (event, index) =>
			redeliverUntilAcknowledged(deliver, event, index),
		);
		// A delivery the victim had stored but not yet queued when it died stays `new`: no worker
		// runs it (n8n's queue recovery marks such executions crashed, at the main's start and then
		// every 3 hours by default). It was never answered 2xx, so its sender delivered it again.
		const dangling = (execution) =>
			execution.status === 'new' && Number(execution.id) <= storedBeforeRestart;
		await n8n.settle(ids.crash, 120_000, dangling);
		const executions = await n8n.executionsWithEvent(ids.crash, CRASH_TRIGGER);
		// Ran: a successful execution; any other is reported and checked on its own below.
		const runs = new Map();
		for (const { eventId } of executions.filter((execution) => execution.status === 'success'))
			runs.set(eventId, (runs.get(eventId) ?? 0) + 1);
		const stranded = executions.filter(dangling);
		const unsuccessful = executions.filter(
			(execution) => execution.status !== 'success' && !dangling(execution),
		);
		const counts = events.map(({ id }) => runs.get(id) ?? 0);
		console.log(
			`# after redelivery: ${counts.filter((count) => count === 1).length} events ran once, ${counts.filter((count) => count === 2).length} twice; unsuccessful executions: ${JSON.stringify(unsuccessful.map(({ id, status }) => ({ id, status })))}; left unqueued by the kill: ${stranded.length}`,
		);
		assert.deepEqual(
			events.filter((_, index) => counts[index] === 0 || counts[index] > 2).map(({ id }) => id),
			[],
			'after redelivery, every event has run successfully, at most twice',
		);
		// Killing a webhook process kills no run: the workers run every execution it queued.
		assert.deepEqual(unsuccessful, [], 'every execution succeeded');
		assert.deepEqual(
			stranded.filter(({ eventId }) => acknowledged(statuses.get(eventId))),
			[],
			'an execution left unqueued by the kill was never acknowledged',
		);
		assert.ok(stranded.length <= SENDERS, `at most one per delivery in flight: ${stranded.length}`);
	});
});
