import type { HmacProfile } from '../profile';

/** Calendly: Stripe's `t=…,v1=…` over `<time>.<body>` in its own header; the type is the body's `event`. */
export const calendly: HmacProfile = {
	kind: 'hmac',
	label: 'Calendly',
	secretHint:
		"Paste the subscription's <b>webhook signing key</b>: the <code>signing_key</code> you chose when creating the webhook subscription through the API, or, for an OAuth app, the key Calendly generated (developer.calendly.com › your app › <b>Webhook signing key</b>).",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['Calendly-Webhook-Signature'],
		encoding: 'hex',
		format: { kind: 'pairs', separator: ',', timestampKey: 't', signatureKey: 'v1' },
	},
	signedContent: '{timestamp}.{body}',
};
