import type { HmacProfile } from '../profile';

/** Typeform: `sha256=` and the base64 HMAC of the body; the type is the body's `event_type`. */
export const typeform: HmacProfile = {
	kind: 'hmac',
	label: 'Typeform',
	idField: 'event_id',
	secretHint:
		"Type the same text as the webhook's <b>Secret</b> (your form › <b>Connect › Webhooks</b> › Edit, or the <code>secret</code> set through the Webhooks API).",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['Typeform-Signature'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: 'sha256=' },
	},
	signedContent: '{body}',
};
