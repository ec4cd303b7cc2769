import type { HmacProfile } from '../profile';

/** Shopify: a base64 HMAC of the body; the topic and the webhook id are headers. */
export const shopify: HmacProfile = {
	kind: 'hmac',
	label: 'Shopify',
	secretHint:
		"Shopify signs with the secret shown under <b>Settings › Notifications › Webhooks</b> for webhooks made in the admin, or with your app's <b>client secret</b> (Partners or Dev Dashboard › your app › Client credentials). Paste it as shown.",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-Shopify-Hmac-Sha256'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	typeHeaders: ['X-Shopify-Topic'],
	idHeaders: ['X-Shopify-Webhook-Id'],
	signedContent: '{body}',
};
