// Test events and the signed requests that carry them, shared by the unit, end-to-end, queue and
// bench code. CommonJS so that jest can require it and the .mjs suites can import it.
const { generateKeyPairSync, randomUUID, sign } = require('node:crypto');

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

/** How each public-key sender signs `<timestamp><body>` and names its headers. */
const PUBLIC_KEY_SENDERS = {
	discord: {
		pair: () => generateKeyPairSync('ed25519'),
		shown: (key) => Buffer.from(key.export({ format: 'jwk' }).x, 'base64url').toString('hex'),
		sign: (data, key) => sign(null, data, key).toString('hex'),
		signature: 'x-signature-ed25519',
		timestamp: 'x-signature-timestamp',
	},
	sendgrid: {
		pair: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
		shown: (key) => key.export({ format: 'der', type: 'spki' }).toString('base64'),
		sign: (data, key) => sign('sha256', data, key).toString('base64'),
		signature: 'x-twilio-email-event-webhook-signature',
		timestamp: 'x-twilio-email-event-webhook-timestamp',
	},
};

/**
 * A new key pair of a sender that signs with its private key: `publicKey` as its dashboard shows
 * it (Discord: hex, SendGrid: base64 SPKI), and `headers` signing a body at a Unix time as it does.
 */
function publicKeySender(name) {
	const sender = PUBLIC_KEY_SENDERS[name];
	const { publicKey, privateKey } = sender.pair();
	return {
		publicKey: sender.shown(publicKey),
		headers: (body, timestamp) => ({
			'content-type': 'application/json',
			[sender.signature]: sender.sign(Buffer.from(`${timestamp}${body}`), privateKey),
			[sender.timestamp]: String(timestamp),
		}),
	};
}

module.exports = {
	whsec,
	SIGNING_SECRET,
	PREVIOUS_SECRET,
	flowEvent,
	standardWebhookHeaders,
	signedRequest,
	publicKeySender,
};
