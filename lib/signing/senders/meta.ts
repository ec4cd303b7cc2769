import type { HmacProfile } from '../profile';

/**
 * Meta (WhatsApp Cloud API, Facebook, Instagram, Messenger): GitHub's `sha256=<hex>` of the body
 * in X-Hub-Signature-256, keyed with the App Secret; the body names what changed in `object` and
 * `entry[].changes[].field`, and no header carries a delivery id.
 */
export const meta: HmacProfile = {
	kind: 'hmac',
	label: 'Meta (WhatsApp, Facebook, Instagram)',
	typeFields: ['entry.0.changes.0.field', 'object'],
	idField: 'entry.0.changes.0.value.messages.0.id',
	secretHint:
		"Paste your app's <b>App Secret</b> as Meta shows it (developers.facebook.com › My Apps › your app › <b>App settings › Basic</b> › App secret › Show), not the Verify Token.",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-Hub-Signature-256'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: 'sha256=' },
	},
	// Meta also sends the legacy SHA-1 signature of the same body.
	otherSignatureHeaders: ['X-Hub-Signature'],
	signedContent: '{body}',
	// Meta checks the Callback URL with an unsigned GET carrying the Verify Token typed in its
	// dashboard, and wants hub.challenge back as the whole body.
	handshake: {
		kind: 'verifyToken',
		mode: { parameter: 'hub.mode', equals: 'subscribe' },
		tokenParameter: 'hub.verify_token',
		challengeParameter: 'hub.challenge',
	},
};
