import type { HmacProfile } from '../profile';

/**
 * Mailgun: its JSON body carries `signature: {timestamp, token, signature}` beside the unsigned
 * `event-data`; the signature is the hex HMAC-SHA256 of the timestamp (Unix seconds) followed by
 * the token, keyed with the account's HTTP webhook signing key as text. The body itself is not
 * signed, so the token is the nonce: a signature is accepted once, whatever body comes with it.
 */
export const mailgun: HmacProfile = {
	kind: 'hmac',
	label: 'Mailgun',
	typeFields: ['event-data.event'],
	idField: 'event-data.id',
	secretHint:
		"Paste your account's <b>HTTP webhook signing key</b> as Mailgun shows it, <code>key-</code> included (Mailgun › Settings › <b>API Security</b>, or <code>GET /v5/accounts/http_signing_key</code>), not a sending API key. The event and its id are read from <code>event-data</code>, which Mailgun does not sign: only the timestamp and token are.",
	// Mailgun's documented check (and mailgun-php's verifyWebhookSignature) key the HMAC with the text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: [],
		fields: ['signature.signature'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	timestampFields: ['signature.timestamp'],
	nonceFields: ['signature.token'],
	signedContent: '{timestamp}{nonce}',
};
