import type { HmacProfile } from '../profile';

/** Lemon Squeezy: the hex HMAC of the body in X-Signature; the type is X-Event-Name. */
export const lemonSqueezy: HmacProfile = {
	kind: 'hmac',
	label: 'Lemon Squeezy',
	secretHint:
		"Type the same text as the webhook's <b>Signing secret</b> (Lemon Squeezy › Settings › <b>Webhooks</b> › your webhook).",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-Signature'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	typeHeaders: ['X-Event-Name'],
	signedContent: '{body}',
};
