// Scenario 3, serving: GET of a published 100-item dataset from the External Data Provider (200,
// and 304 with If-None-Match) and the same JSON from built-in Webhook + Respond to Webhook.
// Memory of the n8n processes is watched during each measurement.
import { servedItems } from '../datasets.mjs';
import { measure, measureInTurns } from '../load.mjs';
import { watchMemory } from '../memory.mjs';
import { IDS, PATHS, SERVED_COUNT } from '../workflows.mjs';

/** Runs the workflow that publishes the dataset through a provider, started at `feedPath`. */
export async function publishServedItems(n8n, feedPath) {
	const response = await fetch(n8n.webhookUrl(feedPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items: servedItems(SERVED_COUNT) }),
	});
	if (!response.ok)
		throw new Error(`publishing the dataset failed: ${response.status} ${await response.text()}`);
}

/** One GET, checked to return the whole dataset; gives the ETag and the body size. */
async function probe(url) {
	const response = await fetch(url);
	const body = await response.text();
	if (response.status !== 200 || JSON.parse(body).data?.length !== SERVED_COUNT) {
		throw new Error(`${url} does not serve the dataset: ${response.status} ${body.slice(0, 200)}`);
	}
	return { etag: response.headers.get('etag'), bytes: Buffer.byteLength(body) };
}

/**
 * A row measured with the memory of the n8n processes watched; `memories` collects each round's
 * start and peaks.
 */
function watchedRow(n8n, workflowId, options, memories) {
	return async (seconds) => {
		const memory = watchMemory(n8n.pid);
		try {
			return await n8n.counted(workflowId, () => measure({ ...options, seconds }));
		} finally {
			memories.push(memory.stop());
		}
	};
}

/** A row's memory over its rounds: at the start of the first, and the highest peaks. */
function acrossRounds(memories) {
	const highest = (key) => Math.max(...memories.map((memory) => memory[key]));
	return {
		...memories[0],
		serverPeakMib: highest('serverPeakMib'),
		groupPeakMib: highest('groupPeakMib'),
	};
}

export async function serving(n8n) {
	await publishServedItems(n8n, PATHS.dataFeed);
	const url = n8n.webhookUrl(PATHS.data);
	const builtinUrl = n8n.webhookUrl(PATHS.webhookData);
	const [served, builtinServed] = [await probe(url), await probe(builtinUrl)];
	const memories = { ours: [], oursNotModified: [], builtin: [] };
	const rows = await measureInTurns({
		ours: watchedRow(n8n, IDS.data, { url, expect: { status: 200 } }, memories.ours),
		oursNotModified: watchedRow(
			n8n,
			IDS.data,
			{ url, headers: { 'if-none-match': served.etag }, expect: { status: 304 } },
			memories.oursNotModified,
		),
		builtin: watchedRow(
			n8n,
			IDS.webhookData,
			{ url: builtinUrl, expect: { status: 200 } },
			memories.builtin,
		),
	});
	for (const [name, row] of Object.entries(rows)) row.memory = acrossRounds(memories[name]);
	return { ...rows, bodyBytes: { ours: served.bytes, builtin: builtinServed.bytes } };
}
