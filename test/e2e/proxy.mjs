// A recording reverse proxy on loopback: forwards every request to n8n (whose base URL `upstream()`
// gives at request time) and answers what n8n answered, so n8n sees every caller at the proxy's
// address, as behind a reverse proxy without N8N_PROXY_HOPS.
import { createServer } from 'node:http';

const HOP_BY_HOP = new Set([
	'host',
	'connection',
	'content-length',
	'transfer-encoding',
	'keep-alive',
]);

export async function startProxy(upstream) {
	const forwarded = [];
	const server = createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', async () => {
			const record = { path: new URL(request.url, 'http://proxy').pathname };
			forwarded.push(record);
			const headers = Object.fromEntries(
				Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
			);
			const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
			try {
				const answer = await fetch(`${upstream()}${request.url}`, {
					method: request.method,
					headers,
					body: hasBody ? Buffer.concat(chunks) : undefined,
					redirect: 'manual',
				});
				record.status = answer.status;
				const contentType = answer.headers.get('content-type');
				response.writeHead(answer.status, contentType ? { 'content-type': contentType } : {});
				response.end(Buffer.from(await answer.arrayBuffer()));
			} catch (error) {
				record.status = 502;
				response.writeHead(502).end(String(error));
			}
		});
	});
	await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
	const { port } = server.address();
	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		/** Requests forwarded so far, oldest first, each with the status n8n answered once it did. */
		requests: () => forwarded,
		async close() {
			server.closeAllConnections();
			await new Promise((resolveClose) => server.close(resolveClose));
		},
	};
}
