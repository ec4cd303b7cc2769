// A loopback HTTP server recording every request, for the engine tier (jest loads CommonJS only;
// test/e2e/receiver.mjs serves the end-to-end suites). Each path answers what the test's function
// returns (or resolves to) for the request and its number at that path (1 for the first), 200 {"ok":true} unless
// told otherwise. Plain JavaScript: n8n's lint bans node:http in TypeScript.
const { createServer } = require('node:http');

const accept = () => ({ status: 200, body: '{"ok":true}' });

async function startReceiver() {
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
			};
			received.push(record);
			const count = received.filter((earlier) => earlier.path === record.path).length;
			Promise.resolve((behaviours.get(record.path) ?? accept)(record, count)).then((answer) => {
				response.writeHead(answer.status, {
					'content-type': 'application/json',
					...answer.headers,
				});
				response.end(answer.body ?? '');
			});
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		on: (path, behaviour) => behaviours.set(path, behaviour),
		requests: (path) => received.filter((record) => record.path === path),
		reset() {
			received.length = 0;
			behaviours.clear();
		},
		async close() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startReceiver };
