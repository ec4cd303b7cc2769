import type { HmacProfile } from '../profile';

/**
 * Square: a base64 HMAC-SHA256 of the notification URL followed by the body, keyed with the
 * subscription's signature key as text; the type and event id are in the body.
 */
export const square: HmacProfile = {
	kind: 'hmac',
	label: 'Square',
	idField: 'event_id',
	secretHint:
		"Paste the subscription's <b>Signature key</b> as Square shows it (Developer Console › your application › <b>Webhooks › Subscriptions</b> › the subscription). Set <b>Public URL</b> to its <b>Notification URL</b>, and Options › Event ID Field to <code>event_id</code> so that Square's retries are recognised.",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['x-square-hmacsha256-signature'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	// The legacy HMAC-SHA1 signature Square still sends beside it.
	otherSignatureHeaders: ['x-square-signature'],
	signedContent: '{url}{body}',
};
