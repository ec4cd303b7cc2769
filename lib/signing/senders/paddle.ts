import type { HmacProfile } from '../profile';

/**
 * Paddle Billing: `Paddle-Signature: ts=<time>;h1=<hex>` over `<time>:<body>`; the type is the
 * body's `event_type`, the event's id its `event_id`.
 */
export const paddle: HmacProfile = {
	kind: 'hmac',
	label: 'Paddle Billing',
	idField: 'event_id',
	secretHint:
		"Paste the notification destination's <b>secret key</b> as Paddle shows it (<code>pdl_ntfset_…</code>; Paddle › Developer tools › <b>Notifications</b> › ⋯ next to the destination › Edit destination).",
	// @paddle/paddle-node-sdk keys the HMAC with the whole secret key as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['Paddle-Signature'],
		encoding: 'hex',
		format: { kind: 'pairs', separator: ';', timestampKey: 'ts', signatureKey: 'h1' },
	},
	signedContent: '{timestamp}:{body}',
	// The SDK refuses a signature more than 5 s old (WebhooksValidator.MAX_VALID_TIME_DIFFERENCE).
	toleranceSeconds: 5,
};
