// A 2xx is a promise: n8n is killed (SIGKILL, as by a crash or an OOM kill) in the middle of a
// burst of signed events, three times. After each restart every event that was answered 2xx must
// have an execution holding it; after every event is delivered again, each has one, or two when
// the kill fell between n8n storing its run and saving its id (printed; see the README).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
	flowEvent,
	signingCredential,
	standardWebhookHeaders,
	triggerWorkflow,
	workflowId,
} from './fixtures.mjs';
import { sleep, startN8n } from './harness.mjs';
import { between, seededRandom, testSeed } from './random.mjs';

const WORKFLOW = workflowId('crashBurst');
const PATH = 'crash-burst';
const SENDERS = 16;
const EVENTS_PER_ROUND = 120;
const KILLS = 3;

let n8n;

before(async () => {
	n8n = await startN8n({
		credentials: [signingCredential],
		workflows: [triggerWorkflow({ id: WORKFLOW, path: PATH })],
	});
});
after(() => n8n?.stop());

/** One signed delivery of `event` (its id is the Standard Webhooks message id); the status, or null without an answer. */
async function deliver(event) {
	const body = JSON.stringify(event);
	try {
		const response = await fetch(n8n.webhookUrl(PATH), {
			method: 'POST',
			headers: standardWebhookHeaders(body, { id: event.id }),
			body,
		});
		await response.arrayBuffer();
		return response.status;
	} catch {
		return null;
	}
}

/** Runs `send` for every event, SENDERS at a time, as concurrent senders do. */
async function fromConcurrentSenders(events, send) {
	let next = 0;
	async function sender() {
		while (next < events.length) await send(events[next++]);
	}
	await Promise.all(Array.from({ length: SENDERS }, sender));
}

/** Sends `events` from concurrent senders; kills n8n once `killAfter` of them were answered 2xx. */
async function burstWithKill(events, killAfter) {
	const statuses = new Map();
	let acknowledged = 0;
	let killing;
	await fromConcurrentSenders(events, async (event) => {
		const status = await deliver(event);
		statuses.set(event.id, status);
		if (status >= 200 && status < 300 && ++acknowledged === killAfter) killing = n8n.kill();
	});
	assert.ok(
		killing,
		`n8n was to be killed after ${killAfter} answers, but only ${acknowledged} came`,
	);
	await killing;
	return statuses;
}

/** The event id each execution of the workflow holds, whether it ran, crashed or is still queued. */
async function executionsByEvent() {
	const rows = await n8n.query(
		`SELECT e.id, e.status, d.data FROM execution_entity e
		 JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ?`,
		[WORKFLOW],
	);
	const byEvent = new Map();
	for (const { id, status, data } of rows) {
		const item =
			data?.resultData?.runData?.['Flow Webhook Trigger']?.[0]?.data?.main?.[0]?.[0] ??
			data?.executionData?.nodeExecutionStack?.[0]?.data?.main?.[0]?.[0];
		const eventId = item?.json?.id;
		byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), { id, status }]);
	}
	return byEvent;
}

/** Delivers `event` until n8n answers 2xx, as a sender retries after a 409, a 5xx or no answer. */
async function redeliver(event) {
	for (let attempt = 1; ; attempt++) {
		const status = await deliver(event);
		if (status >= 200 && status < 300) return status;
		assert.ok(attempt < 40, `event ${event.id} still answered ${status} after ${attempt} tries`);
		await sleep(250);
	}
}

test(`no acknowledged event is lost when n8n is killed during a burst (${KILLS} kills), and every event runs after redelivery`, async () => {
	const random = seededRandom(testSeed('crash test'));
	const sent = [];
	const lostIds = [];
	for (let round = 1; round <= KILLS; round++) {
		const events = Array.from({ length: EVENTS_PER_ROUND }, () => flowEvent());
		sent.push(...events);
		const statuses = await burstWithKill(events, between(random, 8, 60));
		await n8n.restart();

		const byEvent = await executionsByEvent();
		const acknowledged = events.filter(
			({ id }) => statuses.get(id) >= 200 && statuses.get(id) < 300,
		);
		const lost = acknowledged.filter(({ id }) => !byEvent.has(id));
		console.log(
			`# kill ${round}: sent ${events.length}, acknowledged ${acknowledged.length}, lost ${lost.length}`,
		);
		lostIds.push(...lost.map(({ id }) => id));
	}
	assert.deepEqual(lostIds, [], 'every event answered 2xx has an execution');

	await fromConcurrentSenders(sent, redeliver);
	await n8n.waitForExecutions(WORKFLOW, sent.length, 120_000);
	const byEvent = await executionsByEvent();
	const runs = sent.map(({ id }) => byEvent.get(id)?.length ?? 0);
	console.log(
		`# after redelivery: ${runs.filter((count) => count === 1).length} events ran once, ${runs.filter((count) => count === 2).length} twice`,
	);
	assert.deepEqual(
		sent.filter((_, index) => runs[index] === 0 || runs[index] > 2).map(({ id }) => id),
		[],
		'after redelivery, every event has run, at most twice',
	);
	assert.equal(byEvent.size, sent.length, 'no execution holds anything but a sent event');
});
