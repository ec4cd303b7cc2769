import type { HmacProfile } from '../profile';

/** WooCommerce: the base64 HMAC of the body; the topic and the delivery id are headers. */
export const wooCommerce: HmacProfile = {
	kind: 'hmac',
	label: 'WooCommerce',
	secretHint:
		"Paste the webhook's <b>Secret</b> as WooCommerce shows it (WooCommerce › Settings › Advanced › <b>Webhooks</b> › your webhook; WooCommerce fills one in when left blank).",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-WC-Webhook-Signature'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	typeHeaders: ['X-WC-Webhook-Topic'],
	idHeaders: ['X-WC-Webhook-Delivery-ID'],
	signedContent: '{body}',
};
