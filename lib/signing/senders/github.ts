import type { HmacProfile } from '../profile';

/** GitHub: the type is only in X-GitHub-Event, the delivery id in X-GitHub-Delivery. */
export const github: HmacProfile = {
	kind: 'hmac',
	label: 'GitHub Style',
	secretHint:
		"Type the same text as the webhook's <b>Secret</b> (the repository's or organization's <b>Settings › Webhooks</b>).",
	// The secret is text the user chose; @octokit/webhooks-methods keys the HMAC with it as is.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-Hub-Signature-256'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'spaceOrComma', prefix: 'sha256=' },
	},
	otherSignatureHeaders: ['X-Hub-Signature'],
	idHeaders: ['X-GitHub-Delivery'],
	typeHeaders: ['X-GitHub-Event'],
	signedContent: '{body}',
};
