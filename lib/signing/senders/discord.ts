import type { PublicKeyProfile } from '../profile';

/**
 * Discord interactions: an Ed25519 signature (hex) of `<timestamp><body>` by the app's key pair.
 * Discord states no timestamp tolerance and discord-interactions checks none; the trigger's
 * tolerance applies all the same, as to every signed timestamp: Discord signs each interaction
 * as it sends it and wants the answer within 3 seconds, so a fresh request is never old, and an
 * old one replayed is refused. The interaction's `id` is read from the body like any event's.
 */
export const discord: PublicKeyProfile = {
	kind: 'publicKey',
	label: 'Discord Interactions',
	typeFields: ['data.name', 'data.custom_id'],
	secretHint:
		"Paste the app's <b>Public Key</b> as Discord shows it, 64 hexadecimal characters (Developer Portal › your application › <b>General Information</b>). It is not a secret: the Application ID and the bot token do not go here.",
	algorithm: 'ed25519',
	keyFormat: 'ed25519Hex',
	signature: {
		headers: ['X-Signature-Ed25519'],
		encoding: 'hex',
		format: { kind: 'entries', separator: 'none', prefix: '' },
	},
	timestampHeaders: ['X-Signature-Timestamp'],
	signedContent: '{timestamp}{body}',
	// Discord checks the Interactions Endpoint URL with a signed PING (type 1) and wants a PONG
	// (type 1) back, as discord-interactions' verifyKeyMiddleware answers it.
	handshake: { kind: 'signedBody', field: 'type', equals: 1, reply: { type: { literal: 1 } } },
};
