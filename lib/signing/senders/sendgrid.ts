import type { PublicKeyProfile } from '../profile';

/**
 * SendGrid's Event Webhook: an ECDSA P-256 signature with SHA-256 (base64 DER) of
 * `<timestamp><body>`; the body is a JSON array of events. SendGrid states no timestamp
 * tolerance and @sendgrid/eventwebhook checks none; the trigger's tolerance applies all the same,
 * as to every signed timestamp, so that a captured batch cannot be replayed later (raise Options ›
 * Timestamp Tolerance if deliveries arrive late).
 */
export const sendgrid: PublicKeyProfile = {
	kind: 'publicKey',
	label: 'SendGrid Event Webhook',
	idField: 'sg_event_id',
	secretHint:
		'Paste the <b>Verification Key</b> as SendGrid shows it once Signature Verification is on (Settings › Mail Settings › <b>Event Webhooks</b> › your webhook › Security features), the base64 text starting with <code>MFkw</code>.',
	algorithm: 'ecdsaP256Sha256',
	keyFormat: 'spkiBase64',
	signature: {
		headers: ['X-Twilio-Email-Event-Webhook-Signature'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	timestampHeaders: ['X-Twilio-Email-Event-Webhook-Timestamp'],
	signedContent: '{timestamp}{body}',
};
