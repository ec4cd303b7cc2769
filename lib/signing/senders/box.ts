import type { HmacProfile } from '../profile';

/**
 * Box (webhooks v2): a base64 HMAC-SHA256 of the body followed by BOX-DELIVERY-TIMESTAMP as sent
 * (RFC 3339), once with each of the app's two signature keys: BOX-SIGNATURE-PRIMARY and
 * BOX-SIGNATURE-SECONDARY. The body names the event in `trigger` and `id`.
 */
export const box: HmacProfile = {
	kind: 'hmac',
	label: 'Box',
	typeFields: ['trigger'],
	secretHint:
		"Paste your app's <b>Primary Key</b> as Box shows it (Developer Console › your app › <b>Webhooks › Manage Signature Keys</b>) as the Secret, and its <b>Secondary Key</b> as the Previous Secret: a request is accepted when either key's signature matches, so one key can be regenerated while the other still verifies.",
	// box-node-sdk keys the HMAC with each signature key as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['BOX-SIGNATURE-PRIMARY', 'BOX-SIGNATURE-SECONDARY'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
		oneHeaderPerKey: true,
	},
	timestampHeaders: ['BOX-DELIVERY-TIMESTAMP'],
	timestampUnit: 'rfc3339',
	signedContent: '{body}{timestamp}',
	// box-node-sdk refuses a delivery older than 10 minutes.
	toleranceSeconds: 600,
};
