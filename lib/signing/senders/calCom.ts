import type { HmacProfile } from '../profile';

/** Cal.com: the hex HMAC of the body in X-Cal-Signature-256; the body names the event in `triggerEvent`. */
export const calCom: HmacProfile = {
	kind: 'hmac',
	label: 'Cal.com',
	typeFields: ['triggerEvent'],
	secretHint:
		"Type the same text as the webhook's <b>Secret</b> (Cal.com › Settings › Developer › <b>Webhooks</b> › your webhook); without one Cal.com signs nothing.",
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-Cal-Signature-256'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	signedContent: '{body}',
};
