// A 2xx is a promise: n8n is killed (SIGKILL, as by a crash or an OOM kill) in the middle of a
// burst of signed events, three times. After each restart every event that was answered 2xx must
// have an execution holding it; after every event is delivered again, each has one, or two when
// the kill fell between n8n storing its run and saving its id (printed; see the README).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
	flowEvent,
	signingCredential,
	triggeredEventId,
	triggerWorkflow,
	workflowId,
} from './fixtures.mjs';
import { n8nMajor, startN8n } from './harness.mjs';
import { between, seededRandom, testSeed } from './random.mjs';
import {
	acknowledged,
	burstWithKill,
	deliverSigned,
	fromConcurrentSenders,
	redeliverUntilAcknowledged,
} from './senders.mjs';

const WORKFLOW = workflowId('crashBurst');
const PATH = 'crash-burst';
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

const deliver = (event) => deliverSigned(n8n.webhookUrl(PATH), event);

/** The event id each execution of the workflow holds, whether it ran, crashed or is still queued. */
async function executionsByEvent() {
	const rows = await n8n.query(
		`SELECT e.id, e.status, d.data FROM execution_entity e
		 JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ?`,
		[WORKFLOW],
	);
	const byEvent = new Map();
	for (const { id, status, data } of rows) {
		const eventId = triggeredEventId(data);
		byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), { id, status }]);
	}
	return byEvent;
}

test(`no acknowledged event is lost when n8n is killed during a burst (${KILLS} kills), and every event runs after redelivery`, async () => {
	const random = seededRandom(testSeed('crash test'));
	const sent = [];
	const lostIds = [];
	for (let round = 1; round <= KILLS; round++) {
		const events = Array.from({ length: EVENTS_PER_ROUND }, () => flowEvent());
		sent.push(...events);
		const statuses = await burstWithKill(events, {
			deliver,
			killAfter: between(random, 8, 60),
			kill: () => n8n.kill(),
		});
		await n8n.restart();

		const byEvent = await executionsByEvent();
		const answered = events.filter(({ id }) => acknowledged(statuses.get(id)));
		const lost = answered.filter(({ id }) => !byEvent.has(id));
		console.log(
			`# kill ${round}: sent ${events.length}, acknowledged ${answered.length}, lost ${lost.length}`,
		);
		lostIds.push(...lost.map(({ id }) => id));
	}
	// n8n 1.x answers before it stores the run, whatever the node does (README: Compatibility).
	if (n8nMajor >= 2) assert.deepEqual(lostIds, [], 'every event answered 2xx has an execution');

	await fromConcurrentSenders(sent, (event) => redeliverUntilAcknowledged(deliver, event, 0));
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
