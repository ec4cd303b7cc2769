// Polls an External Data Provider: reads the whole dataset page by page, then asks again with the
// first page's ETag, so an unchanged dataset costs one bodiless 304 per poll. Node.js 20 or later.
//
//   node poll.mjs [url] [--limit 100] [--every 60] [--times N]
//   DATA_PROVIDER_TOKEN=<token> node poll.mjs ...   (Authentication: Bearer Token)
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		limit: { type: 'string', default: '100' }, // items per page (<= Max Page Size)
		every: { type: 'string', default: '60' }, // seconds between polls
		times: { type: 'string', default: 'Infinity' }, // number of polls
	},
});
const url = positionals[0] ?? 'http://localhost:5678/webhook/alerts';
const token = process.env.DATA_PROVIDER_TOKEN;
const auth = token ? { authorization: `Bearer ${token}` } : {};

async function getPage(offset, headers = {}) {
	const pageUrl = new URL(url);
	pageUrl.searchParams.set('limit', options.limit);
	pageUrl.searchParams.set('offset', offset);
	const response = await fetch(pageUrl, { headers: { ...auth, ...headers } });
	if (response.status === 304) return null;
	if (!response.ok) throw new Error(`GET ${pageUrl}: ${response.status} ${await response.text()}`);
	return { etag: response.headers.get('etag'), ...(await response.json()) };
}

/** Prints the dataset, or that it is unchanged since `etag`; returns the ETag to send next. */
async function poll(etag) {
	const first = await getPage(0, etag ? { 'if-none-match': etag } : {});
	if (first === null) {
		console.log('unchanged (304)');
		return etag;
	}
	const { version, total, last_updated } = first.meta;
	console.log(`version ${version}, total ${total}, last updated ${last_updated ?? 'never'}`);
	// Publish Mode "Single Object" serves one object, not a list: there are no pages to read.
	if (!Array.isArray(first.data)) {
		console.log(JSON.stringify(first.data));
		return first.etag;
	}
	const items = [...first.data];
	let page = first;
	while (page.data.length > 0) {
		page = await getPage(items.length);
		// Data published while we were paging: the pages no longer fit together, so start over.
		if (page.meta.version !== version) return poll(undefined);
		items.push(...page.data);
	}
	for (const item of items) console.log(JSON.stringify(item));
	return first.etag;
}

let etag; // of the first page; it changes whenever the dataset does
for (let round = 1; round <= Number(options.times); round++) {
	if (round > 1) await sleep(Number(options.every) * 1000);
	try {
		etag = await poll(etag);
	} catch (error) {
		// Keep polling (n8n may be restarting); the exit code still says that a poll failed.
		console.error(error.message);
		process.exitCode = 1;
	}
}
