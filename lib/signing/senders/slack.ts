import type { HmacProfile } from '../profile';

/**
 * Slack (Events API, slash commands, interactivity): `X-Slack-Signature: v0=<hex>` over
 * `v0:<time>:<body>`, whether the body is JSON or a form; the timestamp has its own header.
 */
export const slack: HmacProfile = {
	kind: 'hmac',
	label: 'Slack',
	typeFields: ['event.type', 'command', 'type'],
	idField: 'event_id',
	secretHint:
		"Paste your app's <b>Signing Secret</b> as Slack shows it (api.slack.com/apps › your app › <b>Basic Information › App Credentials</b>), not a bot or OAuth token.",
	// @slack/bolt keys the HMAC with the signing secret as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['X-Slack-Signature'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: 'v0=' },
	},
	timestampHeaders: ['X-Slack-Request-Timestamp'],
	signedContent: 'v0:{timestamp}:{body}',
	// Slack checks the Request URL with a signed `url_verification` event and wants its challenge
	// back; @slack/bolt answers it as JSON `{"challenge": …}` once the signature is verified.
	handshake: {
		kind: 'signedBody',
		field: 'type',
		equals: 'url_verification',
		reply: { challenge: { fromField: 'challenge' } },
	},
};
