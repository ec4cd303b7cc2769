import type { HmacProfile } from '../profile';

/**
 * Twitch EventSub (webhook transport): `Twitch-Eventsub-Message-Signature: sha256=<hex>` over the
 * message id, the timestamp as sent (RFC 3339 with nanoseconds) and the body, keyed with the
 * subscription's secret as text. Retries keep their message id; the subscription names the type.
 */
export const twitch: HmacProfile = {
	kind: 'hmac',
	label: 'Twitch EventSub',
	typeFields: ['subscription.type'],
	idHeaders: ['Twitch-Eventsub-Message-Id'],
	secretHint:
		'Type the same text as the <b>secret</b> your app sent in <code>transport.secret</code> when it created the EventSub subscription (Twitch shows it nowhere; 10 to 100 characters).',
	// @twurple/eventsub-http keys the HMAC with the subscription's secret as text.
	secretEncoding: 'text',
	algorithm: 'sha256',
	signature: {
		headers: ['Twitch-Eventsub-Message-Signature'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: 'sha256=' },
	},
	timestampHeaders: ['Twitch-Eventsub-Message-Timestamp'],
	timestampUnit: 'rfc3339',
	signedContent: '{id}{timestamp}{body}',
	// Twitch's docs and @twurple/eventsub-http drop notifications older than 10 minutes.
	toleranceSeconds: 600,
	// Twitch checks the callback with a signed `webhook_callback_verification` message and wants
	// the challenge back as the bare text/plain body, as @twurple/eventsub-http answers it.
	handshake: {
		kind: 'signedBody',
		field: 'Twitch-Eventsub-Message-Type',
		fieldIn: 'header',
		equals: 'webhook_callback_verification',
		reply: { challenge: { fromField: 'challenge' } },
		replyAs: 'text',
	},
};
