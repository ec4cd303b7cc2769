import type { HmacProfile } from '../profile';

/**
 * Zoom (webhooks of Marketplace apps): `x-zm-signature: v0=<hex>` over `v0:<time>:<body>`, keyed
 * with the app's Secret Token as text, the time in x-zm-request-timestamp. Events name their type
 * in `event`; no header or body field names the delivery.
 */
export const zoom: HmacProfile = {
	kind: 'hmac',
	label: 'Zoom',
	secretHint:
		"Paste your app's <b>Secret Token</b> as Zoom shows it (marketplace.zoom.us › Manage › your app › <b>Features › Access › Secret Token</b>), not the Client Secret or the Verification Token.",
	// @zoom/rivet keys the HMAC with the Secret Token as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['x-zm-signature'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: 'v0=' },
	},
	timestampHeaders: ['x-zm-request-timestamp'],
	signedContent: 'v0:{timestamp}:{body}',
	// Zoom checks the endpoint with a signed `endpoint.url_validation` event (again every 72 hours)
	// and wants the plainToken back with its hex HMAC-SHA256 keyed by the Secret Token, as
	// @zoom/rivet's receivers answer it once the signature is verified.
	handshake: {
		kind: 'signedBody',
		field: 'event',
		equals: 'endpoint.url_validation',
		reply: {
			plainToken: { fromField: 'payload.plainToken' },
			encryptedToken: { hmacOfField: 'payload.plainToken', encoding: 'hex' },
		},
	},
};
