import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type {
	Handshake,
	HandshakeValue,
	PublicKeyAlgorithm,
	ReachabilityCheck,
	SenderProfile,
	SignatureProfile,
} from '../signing/profile';
import { SENDER_PROFILES, type SenderName } from '../signing/schemes';

import {
	CUSTOM_HMAC_DEFAULTS,
	SECRETS_PER_SENDER_VERSION,
	TOKEN_HEADER_DEFAULT,
} from '../signing/fromParameters';

/** Scheme values that need the signing secret credential. */
export const SIGNED_SCHEMES = ['customHmac', 'token', ...Object.keys(SENDER_PROFILES)].sort();

/** Named senders that only send: the trigger offers them, Notify does not sign as them. */
const RECEIVED_ONLY: SenderName[] = [
	'box',
	'calCom',
	'calendly',
	'discord',
	'elevenLabs',
	'gitlab',
	'hubspot',
	'intercom',
	'lemonSqueezy',
	'linear',
	'mailgun',
	'meta',
	'mux',
	'paddle',
	'sendgrid',
	'shopify',
	'slack',
	'square',
	'telegram',
	'twilio',
	'twitch',
	'typeform',
	'wooCommerce',
	'zoom',
];

/** How the Verification list names each public-key signature. */
const PUBLIC_KEY_SIGNATURES: Record<PublicKeyAlgorithm, string> = {
	ed25519: 'Ed25519 signature',
	ecdsaP256Sha256: 'ECDSA P-256 signature',
};

/** The signed content as the editor shows it (HTML): "the body", or "<time>.<body>", "<URL><body>". */
function signedWhat(template: string): string {
	if (template === '{body}') return 'the body';
	const shown = template
		.replaceAll('{timestamp}', '<time>')
		.replaceAll('{id}', '<id>')
		.replaceAll('{nonce}', '<nonce>')
		.replaceAll('{url}', '<URL>')
		.replaceAll('{method}', '<method>')
		.replaceAll('{formParams}', '<sorted form fields>')
		.replaceAll('{body}', '<body>');
	return `"${shown.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}"`;
}

/**
 * Where the signature is read: its header (each header, where each carries its own key's signature
 * as Box's do), or the body field of a sender that signs in the body.
 */
function signaturePlace({ headers, fields = [], oneHeaderPerKey }: SignatureProfile['signature']) {
	if (headers.length === 0) return `Body field ${fields[0]}`;
	return oneHeaderPerKey ? headers.join(' / ') : headers[0];
}

/** What a sender's profile fixes, in one line for the Verification list. */
function presetSummary(profile: SenderProfile): string {
	const reads = [
		profile.typeHeaders ? `the type from ${profile.typeHeaders[0]}` : '',
		profile.idHeaders ? `the ID from ${profile.idHeaders[0]}` : '',
		profile.kind !== 'token' && profile.nonceFields
			? `each ${profile.nonceFields[0]} accepted once`
			: '',
	].filter(Boolean);
	const signature =
		profile.kind === 'publicKey' ? PUBLIC_KEY_SIGNATURES[profile.algorithm] : 'HMAC';
	const checks =
		profile.kind === 'token'
			? `The secret token in ${profile.header}`
			: `${signaturePlace(profile.signature)}: ${profile.signature.encoding} ${signature} of ${signedWhat(profile.signedContent)}`;
	return reads.length > 0 ? `${checks}; ${reads.join(', ')}` : checks;
}

/** The Verification entries of the senders only the trigger offers, with what each fixes. */
export function receivedOnlyPresets(): INodePropertyOptions[] {
	return RECEIVED_ONLY.map((name) => ({
		name: SENDER_PROFILES[name].label,
		value: name,
		description: presetSummary(SENDER_PROFILES[name]),
	}));
}

/** The senders whose profile keeps its own timestamp tolerance, for the editor: "Paddle Billing: 5 s, …". */
export function senderTolerances(): string {
	const profiles: SenderProfile[] = Object.values(SENDER_PROFILES);
	return profiles
		.flatMap((profile) =>
			profile.kind === 'hmac' && profile.toleranceSeconds !== undefined
				? [`${profile.label}: ${profile.toleranceSeconds} s`]
				: [],
		)
		.join(', ');
}

/** A value of a handshake's reply as the editor shows it (HTML). */
function shownValue(value: HandshakeValue): string {
	if ('literal' in value) return JSON.stringify(value.literal);
	if ('fromField' in value) return `&lt;its ${value.fromField}&gt;`;
	return `&lt;the ${value.encoding} HMAC of its ${value.hmacOfField} with the secret&gt;`;
}

/** What the trigger answers a sender's handshake, for the editor (HTML). */
function handshakeSummary(label: string, handshake: Handshake): string {
	if (handshake.kind === 'verifyToken') {
		const { mode, tokenParameter, challengeParameter } = handshake;
		return `${label} checks the URL with a GET (${mode.parameter}=${mode.equals}): the trigger answers 200 with ${challengeParameter} as plain text when ${tokenParameter} equals the Verify Token below, 403 otherwise, and starts no execution.`;
	}
	const values = Object.entries(handshake.reply);
	const reply =
		handshake.replyAs === 'text'
			? `${shownValue(values[0][1])} as plain text`
			: `<code>{${values.map(([name, value]) => `"${name}": ${shownValue(value)}`).join(', ')}}</code>`;
	const where = handshake.fieldIn === 'header' ? `${handshake.field} header` : handshake.field;
	return `${label} checks the URL with a signed request whose ${where} is ${JSON.stringify(handshake.equals)}: the trigger verifies it like any other, answers 200 ${reply} and starts no execution, not even while listening for a test event.`;
}

/** What the trigger answers a sender's unsigned reachability check, for the editor (HTML). */
const reachabilitySummary = (label: string, { field, equals }: ReachabilityCheck) =>
	`${label} also posts an unsigned form with ${field}=${equals} to check the URL answers: the trigger answers it 200 with no body and starts nothing.`;

/** A sender's secret hint, then what the trigger answers its handshake and reachability check. */
function senderHint(profile: SenderProfile): string {
	const { secretHint = '', handshake, reachabilityCheck, label } = profile;
	const checks = [
		...(handshake ? [handshakeSummary(label, handshake)] : []),
		...(reachabilityCheck ? [reachabilitySummary(label, reachabilityCheck)] : []),
	];
	return checks.length > 0 ? `${secretHint}<br><br>${checks.join(' ')}` : secretHint;
}

/** One notice per named sender, shown when it is chosen: where its dashboard shows the secret. */
export function secretHintNotices(schemeParameter: string): INodeProperties[] {
	const hinted = (Object.keys(SENDER_PROFILES) as SenderName[]).filter(
		(name) => SENDER_PROFILES[name].secretHint,
	);
	return hinted.map((name) => ({
		displayName: senderHint(SENDER_PROFILES[name]),
		name: `${name}SecretHint`,
		type: 'notice',
		default: '',
		displayOptions: { show: { [schemeParameter]: [name] } },
	}));
}

/** Who is on the other end: the trigger checks what a sender made, Notify makes what a receiver checks. */
type Peer = 'sender' | 'receiver';

const WORDING: Record<
	Peer,
	Record<'algorithm' | 'prefix' | 'timestamp' | 'id' | 'legacy' | 'token', string>
> = {
	sender: {
		algorithm: 'The HMAC hash function the sender uses',
		prefix: 'Text in front of the digest, if any',
		timestamp:
			'If the sender signs "&lt;timestamp&gt;.&lt;body&gt;", the header holding that Unix timestamp. Leave empty if only the body is signed (then there is no replay window).',
		id: 'Header holding a unique delivery ID, used to drop duplicates. Leave empty to read the ID from the body.',
		legacy: 'SHA-1 (Legacy Senders Only)',
		token:
			'The header the sender puts the shared secret in, e.g. X-Gitlab-Token or X-Telegram-Bot-Api-Secret-Token. In Authorization it is read as "Bearer &lt;secret&gt;".',
	},
	receiver: {
		algorithm: 'The HMAC hash function the receiver expects',
		prefix: 'Text to put in front of the digest, if the receiver expects any',
		timestamp:
			'To sign "&lt;timestamp&gt;.&lt;body&gt;" and send that Unix timestamp in this header, so the receiver can refuse replays. Leave empty to sign the body alone.',
		id: 'A header to send the event ID in, for receivers that drop duplicates by it. Leave empty to send none.',
		legacy: 'SHA-1 (Legacy Receivers Only)',
		token:
			'The header to send the shared secret in. In Authorization it is sent as "Bearer &lt;secret&gt;".',
	},
};

const SINCE_SECRETS_PER_SENDER = [{ _cnd: { gte: SECRETS_PER_SENDER_VERSION } }];
const BEFORE_SECRETS_PER_SENDER = [{ _cnd: { lt: SECRETS_PER_SENDER_VERSION } }];

/**
 * The fields that depend on the scheme parameter (`verification` or `signing`): the Custom HMAC
 * fields, the shared token's header, and on version 1 nodes a notice on how they read secrets.
 */
export function schemeProperties(schemeParameter: string, peer: Peer): INodeProperties[] {
	const { secretEncoding } = CUSTOM_HMAC_DEFAULTS;
	const wording = WORDING[peer];
	return [
		{
			displayName:
				'This node version base64-decodes a secret that starts with "whsec_" for every scheme, while Stripe, GitHub and most senders use their secret as text. Your settings keep working as they are; to use a secret exactly as its sender hands it out (a Stripe "whsec_…" secret, say), add this node again: new nodes read it as the chosen sender does.',
			name: 'secretReadingNotice',
			type: 'notice',
			default: '',
			displayOptions: {
				show: {
					[schemeParameter]: ['customHmac', 'github', 'stripe'],
					'@version': BEFORE_SECRETS_PER_SENDER,
				},
			},
		},
		...customHmacProperties(schemeParameter, wording),
		{
			displayName: 'Secret Encoding',
			name: 'secretEncoding',
			type: 'options',
			options: [
				{
					name: 'Base64',
					value: 'base64',
					description: 'Decoded; a "whsec_" prefix is dropped first',
				},
				{ name: 'Hex', value: 'hex' },
				{ name: 'Text', value: 'text', description: 'The secret as typed, whatever it looks like' },
			],
			default: secretEncoding,
			description:
				"How the credential's secret becomes the HMAC key, as the sender's documentation says",
			displayOptions: {
				show: { [schemeParameter]: ['customHmac'], '@version': SINCE_SECRETS_PER_SENDER },
			},
		},
		{
			displayName: 'Token Header',
			name: 'tokenHeader',
			type: 'string',
			required: true,
			default: TOKEN_HEADER_DEFAULT,
			description: wording.token,
			displayOptions: { show: { [schemeParameter]: ['token'] } },
		},
	];
}

function customHmacProperties(
	schemeParameter: string,
	wording: (typeof WORDING)[Peer],
): INodeProperties[] {
	const { signatureHeader, algorithm, encoding, prefix, timestampHeader, idHeader } =
		CUSTOM_HMAC_DEFAULTS;
	const show = { displayOptions: { show: { [schemeParameter]: ['customHmac'] } } };
	return [
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			required: true,
			default: signatureHeader,
			description: 'The request header that carries the signature',
			...show,
		},
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: wording.legacy, value: 'sha1' },
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: algorithm,
			description: wording.algorithm,
			...show,
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Base64', value: 'base64' },
				{ name: 'Hex', value: 'hex' },
			],
			default: encoding,
			description: 'How the digest is written in the header',
			...show,
		},
		{
			displayName: 'Signature Prefix',
			name: 'prefix',
			type: 'string',
			default: prefix,
			placeholder: 'sha256=',
			description: wording.prefix,
			...show,
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: timestampHeader,
			placeholder: 'x-timestamp',
			description: wording.timestamp,
			...show,
		},
		{
			displayName: 'Event ID Header',
			name: 'idHeader',
			type: 'string',
			default: idHeader,
			placeholder: 'x-event-ID',
			description: wording.id,
			...show,
		},
	];
}
