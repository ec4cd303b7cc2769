// Test events and the signed requests that carry them, shared by the unit, end-to-end, queue and
// bench code. CommonJS so that jest can require it and the .mjs suites can import it.
const { randomUUID } = require('node:crypto');

const { Webhook } = require('standardwebhooks');

/** A Standard Webhooks secret whose key is `phrase` (text or bytes): "whsec_" and its base64. */
const whsec = (phrase) => 'whsec_' + Buffer.from(phrase).toString('base64');

/** The secret test senders sign with, and the one it replaced (kept during a rotation). */
const SIGNING_SECRET = whsec('end-to-end signing secret, 32 b');
const PREVIOUS_SECRET = whsec('previous end-to-end secret 32 b!');

/** A flow event as the flow-session service sends it; `overrides` replace or add fields. */
function flowEvent(overrides = {}) {
	return {
		id: `evt_${randomUUID()}`,
		event: 'flow.start',
		session_id: 'sess_42',
		created: Math.floor(Date.now() / 1000),
		success: true,
		flow_name: 'Onboarding',
		metadata: { source: 'e2e' },
		data: { step: 1 },
		...overrides,
	};
}

/** Headers a Standard Webhooks sender would send with `body`, made with the reference library. */
function standardWebhookHeaders(
	body,
	{ id = `msg_${randomUUID()}`, secret = SIGNING_SECRET, at = new Date() } = {},
) {
	return {
		'content-type': 'application/json',
		'webhook-id': id,
		'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
		'webhook-signature': new Webhook(secret).sign(id, at, body),
	};
}

/**
 * A Standard Webhooks request carrying `event` as JSON (a string is sent as is), shaped as a
 * webhook receives it: the headers and the raw body bytes, plus the body as text for senders.
 */
function signedRequest(event, { contentType = 'application/json', ...signing } = {}) {
	const body = typeof event === 'string' ? event : JSON.stringify(event);
	const headers = { ...standardWebhookHeaders(body, signing), 'content-type': contentType };
	return { headers, body, rawBody: Buffer.from(body) };
}

module.exports = {
	whsec,
	SIGNING_SECRET,
	PREVIOUS_SECRET,
	flowEvent,
	standardWebhookHeaders,
	signedRequest,
};
