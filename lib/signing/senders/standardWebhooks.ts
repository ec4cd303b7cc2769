import type { HmacProfile } from '../profile';

/**
 * Standard Webhooks (standardwebhooks.com) and the Svix-powered senders (Clerk, Resend, …), which
 * send the same headers under `svix-*` names; both reference libraries read either name.
 */
export const standardWebhooks: HmacProfile = {
	kind: 'hmac',
	label: 'Standard Webhooks',
	secretHint:
		"Paste the endpoint's <b>Signing Secret</b> as the sender shows it (<code>whsec_…</code>): Svix-powered senders (Clerk, Resend, …) show it on the endpoint's page, OpenAI under the webhook's settings. For Notify, use the same credential on both sides.",
	// The libraries decode `whsec_<base64>`; a secret without the prefix stays text here, as it
	// always has, so that Notify and the trigger keep agreeing on such secrets.
	secretEncoding: 'whsecOrText',
	algorithm: 'sha256',
	signature: {
		headers: ['webhook-signature', 'svix-signature'],
		encoding: 'base64',
		format: { kind: 'entries', separator: 'space', prefix: 'v1,' },
	},
	timestampHeaders: ['webhook-timestamp', 'svix-timestamp'],
	idHeaders: ['webhook-id', 'svix-id'],
	signedContent: '{id}.{timestamp}.{body}',
};
