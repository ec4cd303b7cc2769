// Scenario 2, rejection: forged, duplicate and filtered-out events. Our trigger answers them
// without an execution; the built-in Webhook node runs one for each of the same requests. One more
// row sends duplicates to the trigger whose duplicate store is full (REMEMBERED in workflows.mjs),
// and two send forgeries to triggers set to sender presets (presets.mjs).
import { setTimeout as sleep } from 'node:timers/promises';

import { forgedRequests, genuineRequests, requestsWithIds } from '../events.mjs';
import { measureInTurns, poolSource } from '../load.mjs';
import { forgedPresetRequests, presetPath, presetWorkflowId } from '../presets.mjs';
import { IDS, PATHS, REMEMBERED } from '../workflows.mjs';

const POOL_SIZE = 1000;
const DUPLICATES = 100;
const IN_FLIGHT = 10;
/** Deliveries of one original before priming gives up, as a patient sender's retry budget. */
const MAX_ATTEMPTS = 10;

/** What a sender waits before sending again: the answer's Retry-After, else one second. */
function retryDelayMs(response) {
	const seconds = Number(response.headers.get('retry-after'));
	return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
}

/**
 * Delivers each original as a sender would, until n8n acknowledges it with 202: the trigger
 * remembers an id only once n8n has stored its run, so only acknowledged events are duplicates
 * when replayed. A 409 (a delivery of the same event still being stored) or a 5xx (nothing
 * stored) means "send it again"; anything else stops the scenario. Every answer is counted.
 */
async function deliverUntilAcknowledged(url, requests) {
	const answers = {};
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const { body, headers } = requests[next++];
			for (let attempt = 1; ; attempt++) {
				const response = await fetch(url, { method: 'POST', headers, body });
				const text = await response.text();
				answers[response.status] = (answers[response.status] ?? 0) + 1;
				if (response.status === 202) break;
				const sendAgain = response.status === 409 || response.status >= 500;
				if (!sendAgain || attempt === MAX_ATTEMPTS)
					throw new Error(
						`priming a duplicate got ${response.status} (attempt ${attempt}): ${text}`,
					);
				await sleep(retryDelayMs(response));
			}
		}
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
	return answers;
}

export async function rejection(n8n) {
	const url = n8n.webhookUrl(PATHS.trigger);
	const accepted = genuineRequests(DUPLICATES);
	// Replays start only after every original was acknowledged; a 202 promises a stored run, which
	// the execution count checks.
	const primed = await n8n.counted(IDS.trigger, async () => ({
		answers: await deliverUntilAcknowledged(url, accepted),
	}));
	if (primed.executions !== accepted.length)
		throw new Error(`${accepted.length} originals acknowledged, ${primed.executions} runs stored`);

	const kinds = {
		forged: { pool: forgedRequests(POOL_SIZE), expect: { status: 401 } },
		duplicate: { pool: accepted, expect: { status: 200, bodyIncludes: '"duplicate":true' } },
		filtered: {
			pool: genuineRequests(POOL_SIZE, 'flow.end'),
			expect: { status: 200, bodyIncludes: '"ignored":true' },
		},
	};
	const row = (workflowId, path, pool, expect) =>
		n8n.postRow(workflowId, path, { source: () => poolSource(pool, { cycle: true }), expect });
	// The newest remembered ids: ingest, which ran before, pushed the oldest out.
	const newest = Array.from({ length: DUPLICATES }, (_, index) =>
		REMEMBERED.id(REMEMBERED.count - 1 - index),
	);
	// Forgeries sent to triggers set to a named preset, as each sender shapes its deliveries.
	const forgedPreset = (sender) =>
		row(presetWorkflowId(sender), presetPath(sender), forgedPresetRequests(sender, POOL_SIZE), {
			status: 401,
		});
	// The same requests, taken in turn from the three kinds.
	const pools = Object.values(kinds).map(({ pool }) => pool);
	const interleaved = Array.from(
		{ length: DUPLICATES * pools.length },
		(_, index) => pools[index % pools.length][Math.floor(index / pools.length)],
	);
	const { builtin, ...ours } = await measureInTurns({
		...Object.fromEntries(
			Object.entries(kinds).map(([kind, { pool, expect }]) => [
				kind,
				row(IDS.trigger, PATHS.trigger, pool, expect),
			]),
		),
		duplicateRemembering: row(
			IDS.triggerRemembering,
			PATHS.triggerRemembering,
			requestsWithIds(newest),
			kinds.duplicate.expect,
		),
		forgedSlack: forgedPreset('slack'),
		forgedDiscord: forgedPreset('discord'),
		builtin: row(IDS.webhook, PATHS.webhook, interleaved, { status: 200 }),
	});
	return { primed, ours, builtin };
}
