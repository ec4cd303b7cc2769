import type { HmacProfile } from '../profile';

/**
 * Linear: the hex HMAC of the body in Linear-Signature; the type is the body's `type` (`Issue`),
 * the delivery id Linear-Delivery. The signed body carries its sending time, `webhookTimestamp` in
 * Unix milliseconds, which @linear/sdk holds to 60 s of its clock (the Linear-Timestamp header it
 * ignores, and so does this profile).
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
	timestampFields: ['webhookTimestamp'],
	timestampUnit: 'milliseconds',
	toleranceSeconds: 60,
};
