// Receives Notify's events on any path: checks each Standard Webhooks signature over the raw body,
// refuses stale timestamps, acts on each webhook-id once, and hands flow session events to one
// handler per event type. Only node: built-ins, so copy it anywhere.
//
//   WEBHOOK_SECRET=whsec_... node receiver.mjs     (PORT=3000 by default; PORT=0 picks a free one)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.WEBHOOK_SECRET;
if (!secret)
	throw new Error('Set WEBHOOK_SECRET to the secret of the Webhook Signing Secret credential');
// "whsec_" secrets are base64 (Standard Webhooks); anything else is used as its UTF-8 bytes.
const key = secret.startsWith('whsec_')
	? Buffer.from(secret.slice('whsec_'.length), 'base64')
	: Buffer.from(secret);
const TOLERANCE_SECONDS = 5 * 60; // bounds how long a captured request could be replayed
// Retries are signed afresh with the same webhook-id, possibly long after the first attempt, so ids
// are kept for a day. In production keep them in a database that every receiver instance shares.
const KEEP_IDS_MS = 24 * 60 * 60 * 1000;
const seenIds = new Map(); // webhook-id -> when it was first handled, oldest first

function firstTime(id) {
	for (const [oldId, at] of seenIds) {
		if (Date.now() - at < KEEP_IDS_MS) break;
		seenIds.delete(oldId);
	}
	if (seenIds.has(id)) return false;
	seenIds.set(id, Date.now());
	return true;
}

function verify(headers, rawBody) {
	const id = headers['webhook-id'];
	const timestamp = headers['webhook-timestamp'];
	const signatures = headers['webhook-signature'];
	if (!id || !timestamp || !signatures) return 'missing webhook-id, -timestamp or -signature';
	const ageSeconds = Math.abs(Date.now() / 1000 - Number(timestamp));
	if (!/^\d+$/.test(timestamp) || ageSeconds > TOLERANCE_SECONDS)
		return 'timestamp out of tolerance';
	const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();
	// The header may hold several space-separated signatures, e.g. during a secret rotation.
	const matches = signatures.split(' ').some((entry) => {
		const [version, signature] = entry.split(',');
		const given = Buffer.from(signature ?? '', 'base64');
		return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
	});
	return matches ? null : 'signature mismatch';
}

// Flow session events (Notify's Event Format "Flow Session Event"), one handler per event type as
// in the flow-session webhooks page. Add your business logic here.
const flowEventHandlers = {
	'flow.start': (payload) => console.log(`Flow has started: ${payload.session_id}`),
	'flow.end': (payload) => console.log(`Flow has ended: ${payload.session_id}`),
	'technology.start': (payload) =>
		console.log(`Technology has started: ${payload.data.technology_code}`),
	'technology.end': (payload) =>
		console.log(`Technology has ended: ${payload.data.technology_code}`),
};

const server = createServer((request, response) => {
	const chunks = [];
	request.on('data', (chunk) => chunks.push(chunk));
	request.on('end', () => {
		// Verify the bytes as received: parsed and re-serialised JSON would not match the signature.
		const rawBody = Buffer.concat(chunks);
		const refusal = verify(request.headers, rawBody);
		if (refusal) {
			console.log(`rejected: ${refusal}`);
			return response.writeHead(401).end();
		}
		const id = request.headers['webhook-id'];
		let event;
		try {
			event = JSON.parse(rawBody.toString('utf8'));
		} catch {
			console.log(`rejected: ${id} is not JSON`);
			return response.writeHead(400).end();
		}
		// Senders retry when an answer is lost, so the same event can arrive twice: act on it once.
		if (!firstTime(id)) {
			console.log(`duplicate ${id}, already handled`);
			return response.writeHead(204).end();
		}
		const handleFlowEvent = flowEventHandlers[event.event];
		if (handleFlowEvent) {
			console.log(`Event ${event.event} received for flow session: ${event.session_id}`);
			handleFlowEvent(event);
		} else {
			console.log(`event ${id} ${event.type} ${JSON.stringify(event.data)}`);
		}
		response.writeHead(204).end();
	});
});

server.listen(Number(process.env.PORT ?? 3000), () => {
	console.log(`listening on http://localhost:${server.address().port}/`);
});
