// The delivery scenario's destination: answers every POST with 200 as soon as its body is in,
// keeps connections alive, and counts what arrived so each run can be checked.
import { createServer } from 'node:http';

export async function startReceiver() {
	const counts = { requests: 0, bytes: 0, signed: 0 };
	const server = createServer((request, response) => {
		let bytes = 0;
		request.on('data', (chunk) => {
			bytes += chunk.length;
		});
		request.on('end', () => {
			counts.requests += 1;
			counts.bytes += bytes;
			if (request.headers['webhook-signature']) counts.signed += 1;
			response
				.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 })
				.end('{}');
		});
	});
	server.keepAliveTimeout = 30_000;
	await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
	return {
		url: `http://127.0.0.1:${server.address().port}/events`,
		/** What arrived since the last call. */
		take() {
			const taken = { ...counts };
			Object.assign(counts, { requests: 0, bytes: 0, signed: 0 });
			return taken;
		},
		close: () => new Promise((resolveClose) => server.close(resolveClose)),
	};
}
