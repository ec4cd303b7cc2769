import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type {
	Handshake,
	HandshakeValue,
	HmacProfile,
	PublicKeyAlgorithm,
	ReachabilityCheck,
	SenderProfile,
	SignatureProfile,
} from '../signing/profile';
import { SENDER_PROFILES, type SenderName } from '../signing/schemes';

import {
	CUSTOM_HMAC_DEFAULTS,
	FROM_PRESET,
	SECRETS_PER_SENDER_VERSION,
	START_FROM_PRESETS,
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
		...customHmacProperties(schemeParameter, peer),
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

/** The trigger's parameter naming the preset Custom HMAC starts from. */
export const START_FROM_PARAMETER = 'startFrom';

const START_FROM_NONE = 'none';

type StartFromPreset = (typeof START_FROM_PRESETS)[number];

/** The presets to start from that `has`, for the fields only some of them have. */
const presetsWhere = (has: (profile: HmacProfile) => boolean) =>
	START_FROM_PRESETS.filter((name) => has(SENDER_PROFILES[name]));

const byName = (one: { name: string }, other: { name: string }) =>
	one.name.localeCompare(other.name);

/**
 * A Custom HMAC field as it is without a preset to start from. `presets` names those of the
 * presets that have the field, for which it is shown again empty, keeping the preset's value.
 */
interface CustomHmacField {
	property: INodeProperties;
	presets: StartFromPreset[];
	/** The description of a text field shown again for the presets. */
	keeping?: string;
}

function customHmacFields(wording: (typeof WORDING)[Peer]): CustomHmacField[] {
	const defaults = CUSTOM_HMAC_DEFAULTS;
	const all = START_FROM_PRESETS;
	return [
		{
			property: {
				displayName: 'Signature Header',
				name: 'signatureHeader',
				type: 'string',
				required: true,
				default: defaults.signatureHeader,
				description: 'The request header that carries the signature',
			},
			presets: all,
			keeping: "The request header that carries the signature. Leave empty to keep the preset's.",
		},
		{
			property: {
				displayName: 'Algorithm',
				name: 'algorithm',
				type: 'options',
				options: [
					{ name: wording.legacy, value: 'sha1' },
					{ name: 'SHA-256', value: 'sha256' },
					{ name: 'SHA-512', value: 'sha512' },
				],
				default: defaults.algorithm,
				description: wording.algorithm,
			},
			presets: all,
		},
		{
			property: {
				displayName: 'Encoding',
				name: 'encoding',
				type: 'options',
				options: [
					{ name: 'Base64', value: 'base64' },
					{ name: 'Hex', value: 'hex' },
				],
				default: defaults.encoding,
				description: 'How the digest is written in the header',
			},
			presets: all,
		},
		{
			property: {
				displayName: 'Signature Prefix',
				name: 'prefix',
				type: 'string',
				default: defaults.prefix,
				placeholder: 'sha256=',
				description: wording.prefix,
			},
			// A "t=…,v1=…" header has no prefix to replace.
			presets: presetsWhere(({ signature }) => signature.format.kind === 'entries'),
			keeping: "Text in front of the digest. Leave empty to keep the preset's.",
		},
		{
			property: {
				displayName: 'Timestamp Header',
				name: 'timestampHeader',
				type: 'string',
				default: defaults.timestampHeader,
				placeholder: 'x-timestamp',
				description: wording.timestamp,
			},
			// What a preset signs stays its own: only a header it reads the timestamp from is renamed.
			presets: presetsWhere(({ timestampHeaders }) => timestampHeaders !== undefined),
			keeping:
				"The header holding the Unix timestamp the preset signs. Leave empty to keep the preset's.",
		},
		{
			property: {
				displayName: 'Event ID Header',
				name: 'idHeader',
				type: 'string',
				default: defaults.idHeader,
				placeholder: 'x-event-ID',
				description: wording.id,
			},
			presets: all,
			keeping:
				"Header holding a unique delivery ID, used to drop duplicates. Leave empty to keep the preset's, or to read the ID from the body if it has none.",
		},
		{
			property: {
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
					{
						name: 'Text',
						value: 'text',
						description: 'The secret as typed, whatever it looks like',
					},
				],
				default: defaults.secretEncoding,
				description:
					"How the credential's secret becomes the HMAC key, as the sender's documentation says",
				displayOptions: { show: { '@version': SINCE_SECRETS_PER_SENDER } },
			},
			presets: all,
		},
	];
}

/** A field shown again for the presets that have it: empty, or "From Preset", keeps the preset's value. */
function keepingPreset({ property, keeping }: CustomHmacField): INodeProperties {
	if (property.type === 'options') {
		const options = [
			{
				name: 'From Preset',
				value: FROM_PRESET,
				description: 'What the preset you start from uses, shown above',
			},
			...(property.options as INodePropertyOptions[]),
		];
		return { ...property, options: options.sort(byName), default: FROM_PRESET };
	}
	return {
		...property,
		required: false,
		default: '',
		placeholder: "The preset's, shown above",
		description: keeping,
	};
}

/** `property` with `show` added to the conditions it has (a node version) and `hide`, if any. */
function shownWhen(
	property: INodeProperties,
	show: Record<string, unknown[]>,
	hide?: Record<string, unknown[]>,
): INodeProperties {
	const own = property.displayOptions?.show ?? {};
	return {
		...property,
		displayOptions: { show: { ...show, ...own }, ...(hide ? { hide } : {}) },
	} as INodeProperties;
}

/** What each Custom HMAC field keeps of a preset, as its notice lists them. */
function presetValues(profile: HmacProfile): string[] {
	const { signature, timestampHeaders, idHeaders } = profile;
	const { format } = signature;
	return [
		`Signature Header: ${signature.headers.join(' or ')}`,
		`Algorithm: ${profile.algorithm.toUpperCase().replace('SHA', 'SHA-')}`,
		`Encoding: ${signature.encoding}`,
		format.kind === 'entries'
			? `Signature Prefix: ${format.prefix ? `"${format.prefix}"` : 'none'}`
			: `Signature: ${format.timestampKey}=&lt;time&gt;${format.separator}${format.signatureKey}=&lt;digest&gt;, no prefix`,
		...(timestampHeaders ? [`Timestamp Header: ${timestampHeaders.join(' or ')}`] : []),
		...(idHeaders ? [`Event ID Header: ${idHeaders.join(' or ')}`] : []),
		`Secret Encoding: ${profile.secretEncoding === 'whsecOrText' ? '"whsec_" + base64, else text' : profile.secretEncoding}`,
	];
}

/** One notice per preset to start from, shown while it is chosen: what the empty fields keep. */
function startFromNotices(show: Record<string, unknown[]>): INodeProperties[] {
	return START_FROM_PRESETS.map((name) => {
		const profile: HmacProfile = SENDER_PROFILES[name];
		const values = presetValues(profile).join('<br>');
		const hint = senderHint(profile);
		return {
			displayName: `Starting from ${profile.label} (${presetSummary(profile)}). Each field below left empty or on "From Preset" keeps its value:<br>${values}${hint ? `<br><br>${hint}` : ''}`,
			name: `${name}StartFromNotice`,
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, [START_FROM_PARAMETER]: [name] } },
		};
	});
}

function startFromProperty(show: Record<string, unknown[]>): INodeProperties {
	const presets = START_FROM_PRESETS.map((name) => ({
		name: SENDER_PROFILES[name].label,
		value: name,
		description: presetSummary(SENDER_PROFILES[name]),
	}));
	return {
		displayName: 'Start From',
		name: START_FROM_PARAMETER,
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'None', value: START_FROM_NONE, description: 'Set each field below yourself' },
			...presets,
		].sort(byName),
		default: START_FROM_NONE,
		description:
			"A preset your sender's scheme follows but for a few fields (another header name, say): fill in only those below, the others keep the preset's",
		displayOptions: { show: { ...show, '@version': SINCE_SECRETS_PER_SENDER } },
	};
}

/**
 * The Custom HMAC fields. The trigger's can start from a preset (Start From): each field is then
 * shown a second time, empty, for the presets that have it, and an empty one keeps the preset's
 * value. The first ones keep their defaults, so that a workflow saved before reads as it did.
 */
function customHmacProperties(schemeParameter: string, peer: Peer): INodeProperties[] {
	const show = { [schemeParameter]: ['customHmac'] };
	const fields = customHmacFields(WORDING[peer]);
	if (peer === 'receiver') return fields.map(({ property }) => shownWhen(property, show));
	const fromScratch = { [START_FROM_PARAMETER]: START_FROM_PRESETS };
	return [
		startFromProperty(show),
		...startFromNotices(show),
		...fields.flatMap((field) => [
			shownWhen(field.property, show, fromScratch),
			shownWhen(keepingPreset(field), { ...show, [START_FROM_PARAMETER]: field.presets }),
		]),
	];
}
