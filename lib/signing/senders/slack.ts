import type { HmacProfile } from '../profile';

/**
 * Slack (Events API, slash commands, interactivity): `X-Slack-Signature: v0=<hex>` over
 * `v0:<time>:<body>`, whether the body is JSON or a form; the timestamp has its own header. An
 * interaction is a form whose one field, `payload`, holds its JSON (`type` `block_actions`,
 * `view_submission`, `shortcut`…), which @slack/bolt hands the app in place of the form.
 */
export const slack: HmacProfile = {
	kind: 'hmac',
	label: 'Slack',
	typeFields: ['event.type', 'command', 'type'],
	// An event's id, else the trigger_id of a slash command or an interaction (Slack retries neither).
	idFields: ['event_id', 'trigger_id'],
	jsonFormField: 'payload',
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
	// Slack checks a slash command's Request URL with an unsigned `ssl_check=1` form (and the old
	// verification token); @slack/bolt's HTTP receiver answers it 200 with no body, unverified.
	reachabilityCheck: { field: 'ssl_check', equals: '1' },
};
