// The delivery scenario's lower bounds: a bare Node.js loop posting the same events, signed the
// Standard Webhooks way, a fixed number of requests in flight, with a keep-alive `node:http` agent
// (client `http`) or with the global `fetch` (client `fetch`: the only keep-alive client n8n's
// rules for community nodes leave them). Runs under the pinned runtime's Node (the one n8n runs
// on), in its own process.
// Usage: node bare-sender.mjs <url> <secret> <events> <in flight> <runs> <http|fetch> ; prints
// milliseconds per run as JSON.
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

import { deliveryEvents } from './datasets.mjs';

const [url, secret, count, inFlight, runs, client] = process.argv.slice(2);
const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

function signedHeaders(body) {
	const id = randomUUID();
	const timestamp = String(Math.floor(Date.now() / 1000));
	const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
	return {
		'content-type': 'application/json',
		'webhook-id': id,
		'webhook-timestamp': timestamp,
		'webhook-signature': `v1,${signature}`,
	};
}

function postWithHttp(agent, body) {
	const headers = { ...signedHeaders(body), 'content-length': Buffer.byteLength(body) };
	return new Promise((resolvePost, reject) => {
		const outgoing = request(url, { method: 'POST', agent, headers }, (response) => {
			response.resume();
			response.on('end', () =>
				response.statusCode === 200
					? resolvePost()
					: reject(new Error(`status ${response.statusCode}`)),
			);
		});
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

async function postWithFetch(body) {
	const response = await fetch(url, { method: 'POST', headers: signedHeaders(body), body });
	await response.text();
	if (response.status !== 200) throw new Error(`status ${response.status}`);
}

async function sendAll(bodies) {
	const agent = new Agent({ keepAlive: true, maxSockets: Number(inFlight) });
	const post = client === 'fetch' ? postWithFetch : (body) => postWithHttp(agent, body);
	let next = 0;
	const worker = async () => {
		while (next < bodies.length) await post(bodies[next++]);
	};
	const started = performance.now();
	await Promise.all(Array.from({ length: Number(inFlight) }, worker));
	const elapsed = performance.now() - started;
	agent.destroy();
	return elapsed;
}

const bodies = deliveryEvents(Number(count)).map((event) => JSON.stringify(event));
const timings = [];
for (let run = 0; run < Number(runs); run++) timings.push(await sendAll(bodies));
process.stdout.write(JSON.stringify(timings));
