import type { HmacProfile } from '../profile';

/** Mux: Stripe's `t=…,v1=…` format under its own header; the type and id are in the body. */
export const mux: HmacProfile = {
	kind: 'hmac',
	label: 'Mux',
	secretHint:
		"Paste the webhook's <b>Signing Secret</b> as Mux shows it (dashboard › <b>Settings › Webhooks</b> › your environment's webhook › Show Signing Secret).",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['Mux-Signature'],
		encoding: 'hex',
		format: { kind: 'pairs', separator: ',', timestampKey: 't', signatureKey: 'v1' },
	},
	signedContent: '{timestamp}.{body}',
};
