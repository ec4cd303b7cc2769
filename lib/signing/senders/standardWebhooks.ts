import type { HmacProfile } from '../profile';

/**
 * Standard Webhooks (standardwebhooks.com) and the Svix-powered senders (Clerk, Resend, …), which
 * send the same headers under `svix-*` names; both reference libraries read either name.
 */
export const standardWebhooks: HmacProfile = {
	label: 'Standard Webhooks',
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
