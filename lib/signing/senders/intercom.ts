import type { HmacProfile } from '../profile';

/**
 * Intercom: `sha1=` and the hex HMAC-SHA1 of the body in X-Hub-Signature, keyed with the app's
 * client secret; the body names the event in `topic` (its `type` is always `notification_event`).
 */
export const intercom: HmacProfile = {
	kind: 'hmac',
	label: 'Intercom',
	typeFields: ['topic'],
	secretHint:
		"Paste your app's <b>Client secret</b> as Intercom shows it (Developer Hub › your app › <b>Basic information</b>).",
	secretEncoding: 'text',
	algorithm: 'sha1',
	signature: {
		headers: ['X-Hub-Signature'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: 'sha1=' },
	},
	signedContent: '{body}',
};
