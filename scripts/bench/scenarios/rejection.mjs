// Scenario 2, rejection: forged, duplicate and filtered-out events. Our trigger answers them
// without an execution; the built-in Webhook node runs one for each of the same requests. One more
// row sends duplicates to the trigger whose duplicate store is full (REMEMBERED in workflows.mjs).
import { forgedRequests, genuineRequests, requestsWithIds } from '../events.mjs';
import { measure, poolSource } from '../load.mjs';
import { IDS, PATHS, REMEMBERED } from '../workflows.mjs';

const POOL_SIZE = 1000;
const DUPLICATES = 100;
const IN_FLIGHT = 10;

/** Delivers requests once (a few at a time) and checks each was accepted. */
async function deliverOnce(url, requests) {
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const { body, headers } = requests[next++];
			const response = await fetch(url, { method: 'POST', headers, body });
			if (response.status !== 202)
				throw new Error(`priming a duplicate got ${response.status}: ${await response.text()}`);
		}
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

export async function rejection(n8n) {
	const url = n8n.webhookUrl(PATHS.trigger);
	const accepted = genuineRequests(DUPLICATES);
	await deliverOnce(url, accepted);
	await n8n.drain();

	const kinds = {
		forged: { pool: forgedRequests(POOL_SIZE), expect: { status: 401 } },
		duplicate: { pool: accepted, expect: { status: 200, bodyIncludes: '"duplicate":true' } },
		filtered: {
			pool: genuineRequests(POOL_SIZE, 'flow.end'),
			expect: { status: 200, bodyIncludes: '"ignored":true' },
		},
	};
	const ours = {};
	for (const [kind, { pool, expect }] of Object.entries(kinds)) {
		ours[kind] = await n8n.counted(IDS.trigger, () =>
			measure({ url, method: 'POST', source: poolSource(pool, { cycle: true }), expect }),
		);
	}
	// The newest remembered ids: ingest, which ran before, pushed the oldest out.
	const newest = Array.from({ length: DUPLICATES }, (_, index) =>
		REMEMBERED.id(REMEMBERED.count - 1 - index),
	);
	const duplicateRemembering = await n8n.counted(IDS.triggerRemembering, () =>
		measure({
			url: n8n.webhookUrl(PATHS.triggerRemembering),
			method: 'POST',
			source: poolSource(requestsWithIds(newest), { cycle: true }),
			expect: kinds.duplicate.expect,
		}),
	);
	// The same requests, taken in turn from the three kinds.
	const pools = Object.values(kinds).map(({ pool }) => pool);
	const interleaved = Array.from(
		{ length: DUPLICATES * pools.length },
		(_, index) => pools[index % pools.length][Math.floor(index / pools.length)],
	);
	const builtin = await n8n.counted(IDS.webhook, () =>
		measure({
			url: n8n.webhookUrl(PATHS.webhook),
			method: 'POST',
			source: poolSource(interleaved, { cycle: true }),
			expect: { status: 200 },
		}),
	);
	return { ours: { ...ours, duplicateRemembering }, builtin };
}
