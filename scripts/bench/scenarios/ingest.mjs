// Scenario 1, ingest: genuine signed events, each with a fresh id, to the Flow Webhook Trigger
// (verification and duplicate detection on) and to the built-in Webhook node; both run a No-Op after.
// A second trigger row starts with its duplicate store full (see REMEMBERED in workflows.mjs).
import { genuineRequests } from '../events.mjs';
import { LOAD, measure, poolSource } from '../load.mjs';
import dedup from '../../../dist/lib/store/dedup.js';
import { IDS, PATHS } from '../workflows.mjs';

/** More fresh requests than n8n can take in one measurement, so none is sent twice. */
const FRESH_PER_SECOND = 1500;

function freshPool() {
	return genuineRequests(FRESH_PER_SECOND * (LOAD.warmupSeconds + LOAD.durationSeconds));
}

/**
 * How many accepted event ids the trigger kept in its workflow static data (what survives a
 * restart), and how big that static data is: n8n reads it on every request to the trigger and
 * rewrites it whenever an event is accepted.
 */
async function persistedEventIds(n8n, workflowId) {
	const [{ staticData }] = await n8n.query('SELECT staticData FROM workflow_entity WHERE id = ?', [
		workflowId,
	]);
	// The workflow's only node with static data is the trigger (key `node:<its name>`).
	const stored = Object.values(JSON.parse(staticData ?? '{}')).find(
		(data) => data?.seenEventIds,
	)?.seenEventIds;
	return {
		count: Object.keys(dedup.fromStored(stored)).length,
		staticDataBytes: Buffer.byteLength(staticData ?? ''),
	};
}

export async function ingest(n8n) {
	const post = (path, expect) => ({
		url: n8n.webhookUrl(path),
		method: 'POST',
		source: poolSource(freshPool(), { cycle: false }),
		expect,
	});
	const ours = await n8n.counted(IDS.trigger, () => measure(post(PATHS.trigger, { status: 202 })));
	const oursRemembering = await n8n.counted(IDS.triggerRemembering, () =>
		measure(post(PATHS.triggerRemembering, { status: 202 })),
	);
	const builtin = await n8n.counted(IDS.webhook, () =>
		measure(post(PATHS.webhook, { status: 200 })),
	);
	return {
		ours,
		oursRemembering,
		builtin,
		persistedEventIds: await persistedEventIds(n8n, IDS.trigger),
		persistedEventIdsRemembering: await persistedEventIds(n8n, IDS.triggerRemembering),
	};
}
