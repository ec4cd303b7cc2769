import type { HmacProfile } from '../profile';

/** Stripe: `Stripe-Signature: t=<time>,v1=<hex>` over `<time>.<body>`; the type and id are in the body. */
export const stripe: HmacProfile = {
	kind: 'hmac',
	label: 'Stripe Style',
	secretHint:
		"Paste the endpoint's <b>Signing secret</b> as Stripe shows it, <code>whsec_</code> included (Dashboard › Developers › Webhooks › your endpoint; the Stripe CLI prints its own when it listens).",
	// Stripe hands out "whsec_…" and its library keys the HMAC with that whole string as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['Stripe-Signature'],
		encoding: 'hex',
		format: { kind: 'pairs', separator: ',', timestampKey: 't', signatureKey: 'v1' },
	},
	signedContent: '{timestamp}.{body}',
};
