import type { HmacProfile } from '../profile';

/**
 * HubSpot's v3 signature: a base64 HMAC-SHA256 of the method, the URL it called, the body and the
 * timestamp in milliseconds, keyed with the app's client secret as text. Its bodies are JSON arrays
 * of events, each typed by `subscriptionType` and named by `eventId`.
 */
export const hubspot: HmacProfile = {
	kind: 'hmac',
	label: 'HubSpot',
	typeFields: ['subscriptionType'],
	idField: 'eventId',
	secretHint:
		"Paste your app's <b>Client secret</b> as HubSpot shows it (developer account › <b>Apps</b> › your app › <b>Auth</b>). Set <b>Public URL</b> to the app's webhook <b>Target URL</b>, and Options › Event Type Field to <code>subscriptionType</code> and Event ID Field to <code>eventId</code>.",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-HubSpot-Signature-v3'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	// The older v1 signature (a plain SHA-256 of secret and body) HubSpot sends beside it.
	otherSignatureHeaders: ['X-HubSpot-Signature'],
	timestampHeaders: ['X-HubSpot-Request-Timestamp'],
	timestampUnit: 'milliseconds',
	signedContent: '{method}{url}{body}{timestamp}',
};
