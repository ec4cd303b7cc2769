// Sends the four flow session events, with every field the flow-session webhooks page documents,
// signed the Standard Webhooks way, as a flow-session service would: to try the Flow session relay.
//
//   WEBHOOK_SECRET=whsec_... node send-flow-events.mjs [URL]
//   (URL defaults to the relay's production URL in `npm run dev`)
import { createHmac, randomUUID } from 'node:crypto';

const url = process.argv[2] ?? 'http://localhost:5678/webhook/flow-events';
const secret = process.env.WEBHOOK_SECRET;
if (!secret)
	throw new Error('Set WEBHOOK_SECRET to the secret of the Webhook Signing Secret credential');
// "whsec_" secrets are base64 (Standard Webhooks); anything else is used as its UTF-8 bytes.
const key = secret.startsWith('whsec_')
	? Buffer.from(secret.slice('whsec_'.length), 'base64')
	: Buffer.from(secret);

const session = {
	session_id: `sess_${randomUUID()}`,
	flow_name: 'Customer onboarding',
	metadata: { customer_id: 'CUST_001', source: 'send-flow-events.mjs' },
};
const events = [
	{ event: 'flow.start', data: {} },
	{ event: 'technology.start', data: { technology_code: 'document_check' } },
	{ event: 'technology.end', data: { technology_code: 'document_check', result: 'approved' } },
	{ event: 'flow.end', data: { duration_seconds: 42 } },
];

for (const { event, data } of events) {
	const payload = {
		id: `evt_${randomUUID()}`,
		event,
		session_id: session.session_id,
		created: Math.floor(Date.now() / 1000),
		success: true,
		flow_name: session.flow_name,
		metadata: session.metadata,
		data,
	};
	const body = JSON.stringify(payload);
	const timestamp = String(payload.created);
	const signature = createHmac('sha256', key)
		.update(`${payload.id}.${timestamp}.${body}`)
		.digest('base64');
	const response = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'webhook-id': payload.id,
			'webhook-timestamp': timestamp,
			'webhook-signature': `v1,${signature}`,
		},
		body,
	});
	console.log(`${event} ${payload.id}: ${response.status} ${await response.text()}`);
	if (!response.ok) process.exitCode = 1;
}
