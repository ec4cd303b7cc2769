// Notify's durable delivery inside a real n8n: a receiver down for longer than the in-run attempts
// gets the event once it is back, through the example workflow's loop (Retry Later output, Wait
// node, n8n's own waiting executions), even when n8n is killed (SIGKILL) during a stored wait: n8n
// resumes the execution by itself, the receiver that had it is not sent it again, and every
// request carries the event's one id (issue 30; notify-crash.test.mjs kills n8n mid-run); and a
// failed execution retried from the execution list sends the events it still owed, with the ids
// they had.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Webhook } from 'standardwebhooks';

import {
	DURABLE_EXAMPLE_ID,
	DURABLE_NOTIFY,
	durableDeliveryWorkflow,
	notifyWorkflow,
	SIGNING_SECRET,
	signingCredential,
	workflowId,
} from './fixtures.mjs';
import { freePort, startN8n } from './harness.mjs';
import { accept, failFirst, startReceiver } from './receiver.mjs';

const standardWebhooks = new Webhook(SIGNING_SECRET);

// Waits of 65 s and more are stored by n8n; shorter ones the Wait node sleeps in its process. The
// first wait takes the short path, the second the stored one, which the kill must not end. The
// suite's only stored wait: notify-crash.test.mjs covers the crashes while a run is going on.
const STORED_WAIT_SECONDS = 70;

const DURABLE = { id: DURABLE_EXAMPLE_ID, path: 'durable/send' };

/** The example's loop on a one-wait schedule, for a receiver that never recovers. */
const EXHAUSTED = { id: workflowId('notify exhausted'), path: 'durable/exhausted' };

/** Start → two events → Notify with in-run retries only, default event ids: the run fails on a 503. */
const RETRIED = { id: workflowId('notify retried'), path: 'notify-retried' };
function retriedWorkflow(url) {
	return notifyWorkflow({
		id: RETRIED.id,
		name: 'Notify: retried by hand',
		path: RETRIED.path,
		events: 'return [{ json: { order: 1 } }, { json: { order: 2 } }];',
		parameters: {
			operation: 'sendEvent',
			signing: 'standardWebhooks',
			destinations: { destination: [{ url }] },
			options: { maxAttempts: 1 },
		},
	});
}

let n8n;
let receiver;
let outagePort;

before(async () => {
	receiver = await startReceiver();
	outagePort = await freePort();
	n8n = await startN8n({
		workflows: [
			// One delivery at a time, in destination order (the builder's default): the outage's attempts
			// end before the steady destination is sent to, so the test brings the outage's receiver up
			// in between.
			durableDeliveryWorkflow([`http://127.0.0.1:${outagePort}/outage`, receiver.url('/steady')], {
				...DURABLE,
				schedule: `2s, ${STORED_WAIT_SECONDS}s`,
			}),
			durableDeliveryWorkflow([receiver.url('/never')], { ...EXHAUSTED, schedule: '1s' }),
			retriedWorkflow(receiver.url('/retried')),
		],
		credentials: [signingCredential],
	});
});

after(async () => {
	await n8n?.stop();
	await receiver?.close();
});

async function post({ path }, body = {}) {
	const response = await fetch(n8n.webhookUrl(path), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	await response.arrayBuffer();
}

/** Every run of a node in an execution: the items of each output. */
async function nodeRuns(executionId, nodeName) {
	const [row] = await n8n.query('SELECT data FROM execution_data WHERE executionId = ?', [
		executionId,
	]);
	return (row.data.resultData.runData[nodeName] ?? []).map((run) =>
		(run.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json)),
	);
}

describe('Notify: Retry Later', () => {
	test(
		'a receiver down for longer than the in-run attempts gets the event exactly once, after n8n is killed during the stored wait',
		{ timeout: 170_000 },
		async () => {
			const outage = { receiver: undefined };
			// Round 1: nothing listens at the outage's port (connection refused). Once the steady
			// destination has its event, the outage's receiver comes up answering 503 (round 2).
			receiver.on('/steady', async (request, response) => {
				accept(request, response);
				outage.receiver ??= await startReceiver({ port: outagePort });
				outage.receiver.on('/outage', failFirst(Infinity, 503));
			});
			try {
				const execution = await n8n.startByWebhook(DURABLE.id, DURABLE.path);

				await n8n.waitForStatus(execution.id, 'waiting', 30_000);
				assert.equal(outage.receiver.requests('/outage').length, 2, 'round 2: two attempts, 503');
				assert.equal(receiver.requests('/steady').length, 1);

				// Killed while the execution is stored as waiting: n8n resumes it by itself once back.
				await n8n.kill();
				await n8n.restart();
				outage.receiver.on('/outage', accept);
				await n8n.waitForStatus(execution.id, 'success', (STORED_WAIT_SECONDS + 60) * 1000);
				assert.deepEqual(
					(await n8n.executions(DURABLE.id)).map(({ id }) => id),
					[execution.id],
					'no retry or other execution was needed',
				);

				const outageRequests = outage.receiver.requests('/outage');
				const [steady] = receiver.requests('/steady');
				assert.equal(outageRequests.length, 3, 'round 3 delivered it with one request');
				assert.equal(receiver.requests('/steady').length, 1, 'the steady destination got it once');
				const eventId = steady.headers['webhook-id'];
				for (const request of outageRequests) {
					assert.equal(request.headers['webhook-id'], eventId, 'the same event id in every round');
					assert.equal(request.body, steady.body, 'the same bytes in every round');
				}
				// Signed afresh: the reference library checks the timestamp is within 5 minutes of now.
				standardWebhooks.verify(outageRequests[2].body, outageRequests[2].headers);
				assert.notEqual(
					outageRequests[2].headers['webhook-timestamp'],
					outageRequests[0].headers['webhook-timestamp'],
				);

				const runs = await nodeRuns(execution.id, DURABLE_NOTIFY);
				assert.equal(runs.length, 3, 'Notify ran once per round');
				const [sent, retryLater, failed] = runs.at(-1);
				assert.deepEqual(retryLater, []);
				assert.deepEqual(failed ?? [], []);
				const [report] = sent;
				assert.equal(report.eventId, eventId);
				// The last round's report lists both destinations: the steady one as round 1 reported it.
				const [steadyDelivery, delivery] = report.deliveries;
				assert.equal(steadyDelivery.url, receiver.url('/steady'));
				assert.deepEqual([steadyDelivery.ok, steadyDelivery.attempts], [true, 1]);
				assert.equal(delivery.url, `http://127.0.0.1:${outagePort}/outage`);
				assert.equal(delivery.ok, true);
				assert.equal(delivery.attempts, 5);
				assert.ok(
					delivery.durationMs >= STORED_WAIT_SECONDS * 1000,
					`durationMs ${delivery.durationMs} spans the rounds`,
				);
				assert.deepEqual(
					delivery.history.map(({ status, error }) => [status, error?.split(' (')[0] ?? null]),
					[
						[null, 'Connection refused'],
						[null, 'Connection refused'],
						[503, 'HTTP 503'],
						[503, 'HTTP 503'],
						[200, null],
					],
				);
			} finally {
				await outage.receiver?.close();
			}
		},
	);
});

describe('Notify: Retry Later, out of retries', () => {
	test('a receiver that never recovers gets every round, then the report goes to the error output with every attempt', async () => {
		receiver.on('/never', failFirst(Infinity, 503));
		await post(EXHAUSTED);
		const [execution] = await n8n.waitForExecutions(EXHAUSTED.id, 1);
		assert.equal(execution.status, 'success', 'the error output keeps the workflow running');

		const requests = receiver.requests('/never');
		assert.equal(requests.length, 4, 'two rounds of two attempts');
		assert.equal(new Set(requests.map((request) => request.headers['webhook-id'])).size, 1);
		const output = await n8n.executionOutput(execution.id);
		const [[gaveUp]] = output['Gave up'];
		assert.match(gaveUp.error, /HTTP 503; no retry left after 2 rounds \(4 attempts\)$/);
		const [delivery] = gaveUp.details.deliveries;
		assert.equal(delivery.attempts, 4);
		assert.deepEqual(
			delivery.history.map(({ status }) => status),
			[503, 503, 503, 503],
		);
		assert.deepEqual(output.Delivered, undefined, 'nothing was delivered');
	});
});

describe('Notify: retrying a failed execution by hand', () => {
	test('the retry sends each event not yet accepted with the id it had, and not the accepted one', async () => {
		receiver.on('/retried', failFirst(1, 503));
		await post(RETRIED);
		const [failed] = await n8n.waitForExecutions(RETRIED.id, 1);
		assert.equal(failed.status, 'error');
		const first = receiver.requests('/retried');
		const idsAnswered = (status) =>
			first
				.filter((request) => request.status === status)
				.map((request) => request.headers['webhook-id']);
		assert.equal(first.length, 2);
		assert.equal(idsAnswered(503).length, 1);
		assert.equal(idsAnswered(200).length, 1);
		assert.notEqual(idsAnswered(503)[0], idsAnswered(200)[0]);

		const retry = await n8n.rest('POST', `/executions/${failed.id}/retry`, { loadWorkflow: false });
		assert.equal(retry.status, 'success');
		const retriedIds = receiver
			.requests('/retried')
			.slice(2)
			.map((request) => request.headers['webhook-id']);
		// Notify's record of accepted deliveries: the event answered 200 is not sent again.
		assert.deepEqual(retriedIds, idsAnswered(503));
	});
});
