// Issue 30's guarantee, tested by killing a real n8n mid-delivery: whenever n8n dies while Notify
// is delivering an event with Retry Later (the durable-delivery example's loop), the destinations
// that had accepted it are not sent it again, the owed ones get it, and every request carries the
// event's one id, so receivers that drop repeats by `webhook-id` see each event once.
//
// n8n resumes only executions stored as waiting (notify-durable.test.mjs kills it during such a
// wait); an execution killed while running is marked crashed at the next start, and the documented
// recovery is to retry it from the execution list (POST /rest/executions/:id/retry, what the
// editor sends). Each case here kills n8n at another point of a running execution, after the
// first destination (A) has answered 200 while the second (B) still owes it:
// - SIGKILL during round 1, while B's request is in flight;
// - SIGKILL while the Wait node sleeps in the running execution (a wait under 65 s) after round 1;
// - a graceful restart (SIGTERM, n8n's 5 s shutdown limit in the harness) while B holds its answer
//   for longer than that.
// Then B answers 200, the crashed execution is retried, and what A and B received must show: A got
// the event exactly once (Notify keeps a record of each destination's 2xx in n8n's database), B
// got it, the last copy verifies with the `standardwebhooks` library, one `webhook-id` throughout.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Webhook } from 'standardwebhooks';

import {
	DURABLE_NOTIFY,
	DURABLE_WAIT,
	durableDeliveryWorkflow,
	SIGNING_SECRET,
	signingCredential,
	workflowId,
} from './fixtures.mjs';
import { pollUntil, startN8n } from './harness.mjs';
import { accept, startReceiver } from './receiver.mjs';

const standardWebhooks = new Webhook(SIGNING_SECRET);

// B holds a request this long before answering 503: longer than n8n's graceful-shutdown limit (5 s
// in the harness) with room for a slow machine, shorter than Notify's timeout here.
const HOLD_MS = 20_000;
const OPTIONS = {
	concurrency: 1, // A's delivery ends before B is sent to
	maxAttempts: 2,
	baseDelayMs: 50,
	maxDelayMs: 100,
	timeoutMs: 30_000,
};

/** One workflow per case: its id, webhook path and the receiver paths of A and B. */
function crashCase(label, schedule) {
	return {
		id: workflowId(`crash ${label}`),
		path: `crash/${label}`,
		schedule,
		a: `/${label}/a`,
		b: `/${label}/b`,
	};
}
const IN_ROUND = crashCase('round', '1h');
// The first wait is under 65 s, so the Wait node sleeps inside the running execution.
const IN_MEMORY_WAIT = crashCase('memwait', '30s, 1h');
const GRACEFUL = crashCase('graceful', '1h');
const CASES = [IN_ROUND, IN_MEMORY_WAIT, GRACEFUL];

/**
 * B: answers 503 (`fail`), holds each request for `HOLD_MS` and then answers 503 (`hold`, so n8n
 * can be stopped while the request is in flight), or accepts (`accept`), as the test switches it.
 */
function switchableDestination() {
	let answer = 'fail';
	return {
		switchTo: (next) => (answer = next),
		behaviour(request, response) {
			if (answer === 'accept') return accept(request, response);
			if (answer === 'fail') return response.writeHead(503).end('unavailable');
			const timer = setTimeout(() => response.writeHead(503).end('held too long'), HOLD_MS);
			response.on('close', () => clearTimeout(timer));
		},
	};
}

let n8n;
let receiver;

before(async () => {
	receiver = await startReceiver();
	n8n = await startN8n({
		workflows: CASES.map((crash) =>
			durableDeliveryWorkflow([receiver.url(crash.a), receiver.url(crash.b)], {
				...crash,
				options: OPTIONS,
			}),
		),
		credentials: [signingCredential],
	});
});

after(async () => {
	await n8n?.stop();
	await receiver?.close();
});

/**
 * Waits until n8n's event log (what its crash recovery reads) says `nodeName` started in the
 * execution: the Wait node sleeping in memory shows nowhere else.
 */
async function waitForNodeStart(executionId, nodeName) {
	const logFile = join(n8n.userFolder, '.n8n', 'n8nEventLog.log');
	const started = (line) => {
		const { eventName, payload } = JSON.parse(line);
		return (
			eventName === 'n8n.node.started' &&
			payload?.executionId === String(executionId) &&
			payload?.nodeName === nodeName
		);
	};
	const found = await pollUntil(
		() => readFileSync(logFile, 'utf8').split('\n').filter(Boolean).some(started),
		Boolean,
		{ timeoutMs: 30_000, intervalMs: 100 },
	);
	if (!found) throw new Error(`${nodeName} did not start in execution ${executionId}`);
}

/** How each node's runs ended in an execution's stored data: `{ [node]: [executionStatus, ...] }`. */
async function runStatuses(executionId) {
	const [row] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		executionId,
	]);
	return Object.fromEntries(
		Object.entries(row.data.resultData.runData).map(([node, runs]) => [
			node,
			runs.map((run) => run.executionStatus),
		]),
	);
}

/** Waits until A has answered 200 and B's request is in flight (held, not answered). */
async function waitForAAcceptedAndBHeld(crash) {
	await receiver.waitForRequests(crash.b, 1, 30_000);
	const [aRequest, ...more] = receiver.requests(crash.a);
	assert.equal(aRequest?.status, 200, 'A answered 200 before B was sent to');
	assert.deepEqual(more, []);
	assert.equal(receiver.requests(crash.b)[0].status, undefined, 'B has not answered');
}

/**
 * Waits until Notify has recorded A's 2xx in n8n's deduplication store (it writes it as it comes,
 * without holding up B's delivery). A kill between a destination's answer and that record sends
 * that destination the event again on retry, with the same id (the window the docs state), so the
 * kill waits for it; not finding it is left to the "exactly once" assertion to report.
 */
async function waitForAcceptanceRecorded(crash) {
	await pollUntil(
		() => n8n.query('SELECT value FROM processed_data WHERE workflowId = ?', [crash.id]),
		(rows) => rows.length > 0,
		{ timeoutMs: 10_000, intervalMs: 50 },
	);
}

/**
 * After n8n is back: the execution is crashed, and retrying it as the editor does (B now up) ends
 * in a successful retry execution; returns the retry's id.
 */
async function retryCrashed(crash, b, executionId) {
	await n8n.waitForStatus(executionId, 'crashed');
	b.switchTo('accept');
	const retry = await n8n.rest('POST', `/executions/${executionId}/retry`, {
		loadWorkflow: false,
	});
	assert.equal(retry.status, 'success', 'the retry execution succeeded');
	assert.equal(String(retry.retryOf), String(executionId));

	// What the execution list shows: the original stays crashed and points at its successful retry.
	const rows = await pollUntil(
		() =>
			n8n.query(
				'SELECT id, status, mode, retryOf, retrySuccessId FROM execution_entity WHERE workflowId = ? ORDER BY id',
				[crash.id],
			),
		(found) => String(found[0]?.retrySuccessId) === String(retry.id),
	);
	assert.deepEqual(
		rows.map((row) => Object.values(row).map((value) => (value === null ? null : String(value)))),
		[
			[String(executionId), 'crashed', 'webhook', null, String(retry.id)],
			[String(retry.id), 'success', 'retry', String(executionId), null],
		],
	);
	return retry.id;
}

/** What the receivers recorded: A had the event once, B last accepted it, one id everywhere. */
function assertDeliveredOnceEach(crash) {
	const aRequests = receiver.requests(crash.a);
	const bRequests = receiver.requests(crash.b);
	assert.equal(aRequests.length, 1, 'A received the event exactly once');
	assert.ok(bRequests.length >= 1, 'B received the event');
	const last = bRequests.at(-1);
	assert.equal(last.status, 200, "B's last request was accepted");
	standardWebhooks.verify(last.body, last.headers);

	const idsAt = (requests) => new Set(requests.map((request) => request.headers['webhook-id']));
	assert.equal(idsAt(aRequests).size, 1, 'A saw one id for the event');
	assert.equal(idsAt(bRequests).size, 1, 'B saw one id for the event');
	assert.deepEqual(idsAt(bRequests), idsAt(aRequests), 'A and B got the event under the same id');
}

/** What the retry's Notify reported: A not sent to again (accepted earlier), B delivered, under the event's id. */
async function assertRetryReport(crash, retryId) {
	const [row] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [retryId]);
	const lastRun = row.data.resultData.runData[DURABLE_NOTIFY].at(-1);
	const [sent, retryLater] = lastRun.data.main.map((items) =>
		(items ?? []).map(({ json }) => json),
	);
	assert.deepEqual(retryLater, [], 'nothing left for later');
	const [report] = sent;
	assert.equal(report.eventId, receiver.requests(crash.a)[0].headers['webhook-id']);
	assert.deepEqual(
		report.deliveries.map(({ url, ok, attempts, acceptedEarlier }) => ({
			url,
			ok,
			attempts,
			acceptedEarlier,
		})),
		[
			{ url: receiver.url(crash.a), ok: true, attempts: 0, acceptedEarlier: true },
			{ url: receiver.url(crash.b), ok: true, attempts: 1, acceptedEarlier: undefined },
		],
	);
}

async function startCase(crash, bAnswer) {
	const b = switchableDestination();
	receiver.on(crash.b, b.behaviour);
	b.switchTo(bAnswer);
	const execution = await n8n.startByWebhook(crash.id, crash.path);
	return { b, execution };
}

describe('Notify: n8n stops mid-delivery, the crashed execution is retried', () => {
	test('SIGKILL during round 1, while B is being sent to', { timeout: 120_000 }, async () => {
		const { b, execution } = await startCase(IN_ROUND, 'hold');
		await waitForAAcceptedAndBHeld(IN_ROUND);
		await waitForAcceptanceRecorded(IN_ROUND);

		await n8n.kill();
		await n8n.restart();
		await n8n.waitForStatus(execution.id, 'crashed');
		const statuses = await runStatuses(execution.id);
		assert.deepEqual(statuses[DURABLE_NOTIFY], ['crashed'], 'recovery marks Notify crashed');

		const retryId = await retryCrashed(IN_ROUND, b, execution.id);
		assertDeliveredOnceEach(IN_ROUND);
		await assertRetryReport(IN_ROUND, retryId);
	});

	test(
		'SIGKILL while the Wait node sleeps in the running execution after round 1',
		{ timeout: 120_000 },
		async () => {
			const { b, execution } = await startCase(IN_MEMORY_WAIT, 'fail');
			await waitForNodeStart(execution.id, DURABLE_WAIT);
			assert.deepEqual(
				receiver.requests(IN_MEMORY_WAIT.a).map(({ status }) => status),
				[200],
			);
			assert.deepEqual(
				receiver.requests(IN_MEMORY_WAIT.b).map(({ status }) => status),
				[503, 503],
				"round 1 made B's two attempts",
			);
			assert.equal(
				(await n8n.query('SELECT status FROM execution_entity WHERE id = ?', [execution.id]))[0]
					.status,
				'running',
				'the wait is not stored',
			);

			await n8n.kill();
			await n8n.restart();
			await n8n.waitForStatus(execution.id, 'crashed');
			const statuses = await runStatuses(execution.id);
			assert.deepEqual(statuses[DURABLE_WAIT], ['crashed'], 'recovery marks the Wait node crashed');
			assert.deepEqual(statuses[DURABLE_NOTIFY], ['success'], 'round 1 had ended');

			const retryId = await retryCrashed(IN_MEMORY_WAIT, b, execution.id);
			assertDeliveredOnceEach(IN_MEMORY_WAIT);
			await assertRetryReport(IN_MEMORY_WAIT, retryId);
		},
	);

	test(
		"a graceful restart while B holds its answer beyond n8n's shutdown limit",
		{ timeout: 120_000 },
		async () => {
			const { b, execution } = await startCase(GRACEFUL, 'hold');
			await waitForAAcceptedAndBHeld(GRACEFUL);
			await waitForAcceptanceRecorded(GRACEFUL);

			await n8n.restart();
			assert.deepEqual(
				receiver.requests(GRACEFUL.b).map(({ status }) => status),
				[undefined],
				'n8n stopped before B answered',
			);
			await n8n.waitForStatus(execution.id, 'crashed');

			const retryId = await retryCrashed(GRACEFUL, b, execution.id);
			assertDeliveredOnceEach(GRACEFUL);
			await assertRetryReport(GRACEFUL, retryId);
		},
	);
});
