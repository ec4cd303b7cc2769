// Scenario 1, ingest: genuine signed events, each with a fresh id, to the Flow Webhook Trigger
// (verification and duplicate detection on) and to the built-in Webhook node; both run a No-Op after.
// A second trigger row starts with its duplicate store full (see REMEMBERED in workflows.mjs). Two
// reference rows: the floor (a community trigger that checks nothing, floor-node/) and the
// built-in Webhook with Header Auth.
import { genuineRequests } from '../events.mjs';
import { LOAD, measureInTurns, poolSource } from '../load.mjs';
import { eventKey, fromStored } from '../../../dist/lib/store/eventKeys.js';
import { builtinHeaderAuthCredential, IDS, PATHS } from '../workflows.mjs';

/** More fresh requests than n8n can take in one measurement, so none is sent twice. */
const FRESH_PER_SECOND = 1500;

function freshPool() {
	return genuineRequests(FRESH_PER_SECOND * (LOAD.warmupSeconds + LOAD.durationSeconds));
}

/** The trigger's saved duplicate record (event key → accepted at) and the size of its workflow's static data. */
async function savedRecord(n8n, workflowId) {
	const [{ staticData }] = await n8n.query('SELECT staticData FROM workflow_entity WHERE id = ?', [
		workflowId,
	]);
	// The workflow's only node with static data is the trigger (key `node:<its name>`).
	const [record = {}] = Object.values(JSON.parse(staticData ?? '{}'));
	return { seen: fromStored(record), staticDataBytes: Buffer.byteLength(staticData ?? '') };
}

/**
 * How many accepted event ids the trigger kept in its workflow static data (what survives a
 * restart), and how big that static data is: n8n reads it on every request to the trigger.
 */
async function persistedEventIds(n8n, workflowId) {
	const { seen, staticDataBytes } = await savedRecord(n8n, workflowId);
	return { count: seen.size, staticDataBytes };
}

/** How long the save-window measurement streams events, in seconds. */
const SAVE_WINDOW_SECONDS = 5;

/**
 * What a crash can let run twice: while events stream in at full speed, the most events n8n had
 * acknowledged (202: their runs are stored) whose ids were not yet in the trigger's saved duplicate
 * record. A redelivery of one of them after a crash starts a second run. Measured after the
 * throughput rows, apart from them: reading the database this often takes CPU from n8n.
 */
async function unsavedAcknowledged(n8n) {
	const pool = genuineRequests(FRESH_PER_SECOND * SAVE_WINDOW_SECONDS);
	const acknowledged = [];
	const deadline = Date.now() + SAVE_WINDOW_SECONDS * 1000;
	let next = 0;
	const sender = async () => {
		while (Date.now() < deadline && next < pool.length) {
			const { headers, body } = pool[next++];
			const response = await fetch(n8n.webhookUrl(PATHS.trigger), {
				method: 'POST',
				headers,
				body,
			});
			const answer = await response.json().catch(() => ({}));
			if (response.status === 202) acknowledged.push(answer.id);
		}
	};
	const sending = Promise.all(Array.from({ length: LOAD.connections }, sender));
	let most = 0;
	let polls = 0;
	while (Date.now() < deadline) {
		const answered = [...acknowledged];
		const { seen } = await savedRecord(n8n, IDS.trigger);
		most = Math.max(most, answered.filter((id) => !seen.has(eventKey(id))).length);
		polls++;
	}
	await sending;
	return { most, polls, acknowledged: acknowledged.length, seconds: SAVE_WINDOW_SECONDS };
}

export async function ingest(n8n) {
	const fresh = (expect, headers) => ({
		source: () => poolSource(freshPool(), { cycle: false }),
		expect,
		headers,
	});
	const { name, value } = builtinHeaderAuthCredential.data;
	const rows = await measureInTurns({
		ours: n8n.postRow(IDS.trigger, PATHS.trigger, fresh({ status: 202 })),
		oursRemembering: n8n.postRow(
			IDS.triggerRemembering,
			PATHS.triggerRemembering,
			fresh({ status: 202 }),
		),
		floor: n8n.postRow(IDS.floor, PATHS.floor, fresh({ status: 202 })),
		builtin: n8n.postRow(IDS.webhook, PATHS.webhook, fresh({ status: 200 })),
		builtinAuthenticated: n8n.postRow(
			IDS.webhookAuthenticated,
			PATHS.webhookAuthenticated,
			fresh({ status: 200 }, { [name]: value }),
		),
	});
	return {
		...rows,
		persistedEventIds: await persistedEventIds(n8n, IDS.trigger),
		persistedEventIdsRemembering: await persistedEventIds(n8n, IDS.triggerRemembering),
		unsavedAcknowledged: await unsavedAcknowledged(n8n),
	};
}
