import type { HmacProfile } from '../profile';

/**
 * Twilio: a base64 HMAC-SHA1, keyed with the Auth Token as text, of the URL it called followed by
 * the form fields sorted by name. A JSON body is signed through its hex SHA-256, which Twilio adds
 * to the URL as `bodySHA256`. Form webhooks carry no event type of their own; each request carries
 * I-Twilio-Idempotency-Token, which Twilio keeps when it retries it: unsigned, it only names the
 * delivery, so that a retry is dropped as a duplicate, and yields to an Event ID Field the user
 * names (a status callback's MessageSid).
 */
export const twilio: HmacProfile = {
	kind: 'hmac',
	label: 'Twilio',
	typeFields: ['type', 'MessageStatus', 'CallStatus'],
	requestIdHeaders: ['I-Twilio-Idempotency-Token'],
	secretHint:
		"Paste your account's <b>Auth Token</b> as Twilio shows it (Console › <b>Account Info</b>, or Account › API keys &amp; tokens). Set <b>Public URL</b> to the webhook URL exactly as entered in Twilio, and Options › Event Type Field to the field that names what happened (a status callback's <code>MessageStatus</code> or <code>CallStatus</code>).",
	secretEncoding: 'text',
	algorithm: 'sha1',
	signature: {
		headers: ['X-Twilio-Signature'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	signedContent: '{url}{formParams}',
	bodyHashParameter: 'bodySHA256',
	// Twilio's libraries accept the URL with and without :443 (or :80), as Twilio may sign either.
	urlDefaultPortOptional: true,
};
