// A loopback HTTP server that records every request (path, headers, body text, time, the status
// answered); each path behaves as the test tells it to (200 {"ok":true} unless told otherwise): the
// far end of Notify's deliveries in the end-to-end, queue and bench runs, or any service a client
// under test calls. `port` fixes the port, e.g. one a workflow already names while nothing listens
// there.
import { createServer } from 'node:http';

import { pollUntil } from './harness.mjs';

/** Answers 200 with a small JSON body; the default for every path. */
export const accept = (_request, response) =>
	response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

/** Answers `status` to the first `times` requests of a path, then accepts. */
export function failFirst(times, status, headers = {}) {
	let failures = 0;
	return (request, response) => {
		if (failures >= times) return accept(request, response);
		failures += 1;
		response.writeHead(status, headers).end(`failure ${failures}`);
	};
}

export async function startReceiver({ port: wantedPort = 0 } = {}) {
	const received = [];
	const behaviours = new Map();
	const server = createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const record = {
				path: new URL(request.url, 'http://receiver').pathname,
				headers: request.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				at: Date.now(),
			};
			received.push(record);
			response.on('finish', () => {
				record.status = response.statusCode;
			});
			(behaviours.get(record.path) ?? accept)(record, response);
		});
	});
	// Idle connections stay open as long as a sender may reuse them between two runs of a workflow.
	server.keepAliveTimeout = 30_000;
	let connections = 0;
	server.on('connection', () => connections++);
	await new Promise((resolveListen) => server.listen(wantedPort, '127.0.0.1', resolveListen));
	const { port } = server.address();
	const requests = (path) => received.filter((record) => record.path === path);
	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		on: (path, behaviour) => behaviours.set(path, behaviour),
		/** Requests that reached `path` since the last `reset()`, oldest first. */
		requests,
		/** Resolves once `path` has received `count` requests. */
		async waitForRequests(path, count, timeoutMs = 10_000) {
			const arrived = await pollUntil(
				() => requests(path).length,
				(length) => length >= count,
				{ timeoutMs, intervalMs: 20 },
			);
			if (arrived < count) throw new Error(`${path} did not receive ${count} requests`);
		},
		/** TCP connections opened to the receiver since the last `reset()`. */
		connections: () => connections,
		/** Forgets the requests received, the connections counted and every path's behaviour. */
		reset() {
			received.length = 0;
			connections = 0;
			behaviours.clear();
		},
		async close() {
			server.closeAllConnections();
			await new Promise((resolveClose) => server.close(resolveClose));
		},
	};
}
