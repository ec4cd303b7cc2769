import type { HmacProfile } from '../profile';

/**
 * Linear: the hex HMAC of the body in Linear-Signature; the type is the body's `type` (`Issue`),
 * the delivery id Linear-Delivery. Linear's replay window rests on `webhookTimestamp` inside the
 * body, which this profile does not read: replays are caught by the delivery id instead.
 */
export const linear: HmacProfile = {
	kind: 'hmac',
	label: 'Linear',
	secretHint:
		"Paste the webhook's <b>Signing secret</b> as Linear shows it (Settings › <b>API</b> › Webhooks › your webhook).",
	// @linear/sdk's LinearWebhookClient keys the HMAC with the secret as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['Linear-Signature'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	idHeaders: ['Linear-Delivery'],
	signedContent: '{body}',
};
