import type { HmacProfile } from '../profile';

/** ElevenLabs (post-call and workspace webhooks): `t=…,v0=…` over `<time>.<body>`; the type is the body's `type`. */
export const elevenLabs: HmacProfile = {
	kind: 'hmac',
	label: 'ElevenLabs',
	secretHint:
		"Paste the webhook's <b>HMAC secret</b> as ElevenLabs shows it when you create the webhook (ElevenLabs › Settings › <b>Webhooks</b>).",
	// @elevenlabs/elevenlabs-js keys the HMAC with the secret as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['ElevenLabs-Signature'],
		encoding: 'hex',
		format: { kind: 'pairs', separator: ',', timestampKey: 't', signatureKey: 'v0' },
	},
	signedContent: '{timestamp}.{body}',
	// webhooks.constructEvent accepts a signature up to 30 minutes old.
	toleranceSeconds: 1800,
};
