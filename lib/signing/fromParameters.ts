import type { HmacAlgorithm, HmacProfile, SenderProfile, SignatureFormat } from './profile';
import { SENDER_PROFILES, type SenderName, type SignatureScheme } from './schemes';
import type { DigestEncoding } from './encoding';
import { SECRET_ENCODINGS, type SecretEncoding } from './secrets';

/** Node parameters that pick a scheme; `none` (or anything unknown) means unsigned. */
export interface SchemeParameters {
	scheme: string;
	/** Custom HMAC's Start From: a preset's name; `none`, absent or anything else starts from nothing. */
	startFrom?: string;
	signatureHeader?: string;
	algorithm?: string;
	encoding?: string;
	prefix?: string;
	timestampHeader?: string;
	idHeader?: string;
	secretEncoding?: string;
	tokenHeader?: string;
}

/**
 * What each Custom HMAC field means when left empty while it starts from no preset; the editor
 * shows the same values as defaults.
 */
export const CUSTOM_HMAC_DEFAULTS = {
	signatureHeader: 'x-signature',
	algorithm: 'sha256',
	encoding: 'hex',
	prefix: '',
	timestampHeader: '',
	idHeader: '',
	secretEncoding: 'text',
} as const;

/** The header a shared token is sent in when the field is left empty: a bearer token. */
export const TOKEN_HEADER_DEFAULT = 'Authorization';

const ALGORITHMS: HmacAlgorithm[] = ['sha256', 'sha512', 'sha1'];
const ENCODINGS: DigestEncoding[] = ['hex', 'base64'];

/** The value of Custom HMAC's option fields that keeps the starting preset's choice. */
export const FROM_PRESET = 'preset';

type HmacSenderName = {
	[Name in SenderName]: (typeof SENDER_PROFILES)[Name] extends HmacProfile ? Name : never;
}[SenderName];

/**
 * The presets Custom HMAC can start from: those signing with an HMAC, but Meta's, whose URL check
 * is a GET on a route the trigger registers for the Meta preset alone.
 */
export const START_FROM_PRESETS = (Object.keys(SENDER_PROFILES) as SenderName[]).filter(
	(name): name is HmacSenderName => {
		const profile: SenderProfile = SENDER_PROFILES[name];
		return profile.kind === 'hmac' && profile.handshake?.kind !== 'verifyToken';
	},
);

function presetToStartFrom(name: string | undefined): HmacProfile | undefined {
	const found = START_FROM_PRESETS.find((preset) => preset === name);
	return found && SENDER_PROFILES[found];
}

/** The Custom HMAC fields the user filled in; each one left empty is undefined. */
export interface HmacOverrides {
	signatureHeader?: string;
	algorithm?: HmacAlgorithm;
	encoding?: DigestEncoding;
	prefix?: string;
	timestampHeader?: string;
	idHeader?: string;
	secretEncoding?: SecretEncoding;
}

function overridesOf(parameters: SchemeParameters): HmacOverrides {
	return {
		signatureHeader: optional(parameters.signatureHeader),
		algorithm: ALGORITHMS.find((algorithm) => algorithm === parameters.algorithm),
		encoding: ENCODINGS.find((encoding) => encoding === parameters.encoding),
		prefix: optional(parameters.prefix),
		timestampHeader: optional(parameters.timestampHeader),
		idHeader: optional(parameters.idHeader),
		secretEncoding: SECRET_ENCODINGS.find((encoding) => encoding === parameters.secretEncoding),
	};
}

/** Which prefixes a separator would cut, so that the whole header is read as one entry instead. */
const CUT_BY: Record<'space' | 'spaceOrComma' | 'none', RegExp | undefined> = {
	space: /\s/,
	spaceOrComma: /[\s,]/,
	none: undefined,
};

/** The preset's signature format with another prefix; `key=value` pairs have none to replace. */
function withPrefix(format: SignatureFormat, prefix: string | undefined): SignatureFormat {
	if (prefix === undefined || format.kind === 'pairs') return format;
	const cut = CUT_BY[format.separator]?.test(prefix);
	return { kind: 'entries', separator: cut ? 'none' : format.separator, prefix };
}

/**
 * A preset's profile with the fields the user filled in replacing its own: a header replaces the
 * preset's names for it (aliases included), and a timestamp header only a preset's that reads the
 * timestamp from a header. Everything else (what is signed, where the type is read, the handshake,
 * the tolerance) stays the preset's.
 */
export function presetWithOverrides(preset: HmacProfile, overrides: HmacOverrides): HmacProfile {
	const { signatureHeader, timestampHeader, idHeader } = overrides;
	return {
		...preset,
		label: `Custom HMAC from ${preset.label}`,
		algorithm: overrides.algorithm ?? preset.algorithm,
		secretEncoding: overrides.secretEncoding ?? preset.secretEncoding,
		signature: {
			...preset.signature,
			headers: signatureHeader ? [signatureHeader] : preset.signature.headers,
			encoding: overrides.encoding ?? preset.signature.encoding,
			format: withPrefix(preset.signature.format, overrides.prefix),
		},
		timestampHeaders:
			timestampHeader && preset.timestampHeaders ? [timestampHeader] : preset.timestampHeaders,
		idHeaders: idHeader ? [idHeader] : preset.idHeaders,
	};
}

function optional(text: string | undefined): string | undefined {
	const trimmed = text?.trim();
	return trimmed ? trimmed : undefined;
}

/**
 * The first node version that reads each sender's secret as that sender's library does; version 1
 * base64-decodes every "whsec_" secret, which Stripe's own secrets, for one, are not.
 */
export const SECRETS_PER_SENDER_VERSION = 2;

/** The scheme the parameters pick for a node of `nodeVersion`, or null for unsigned. */
export function schemeFromParameters(
	parameters: SchemeParameters,
	nodeVersion: number,
): SignatureScheme | null {
	if (nodeVersion >= SECRETS_PER_SENDER_VERSION) return schemeOf(parameters);
	// The editor offers Start From since that version only: a preset's own secret reading
	// would contradict this version's one way of reading every secret.
	const scheme = schemeOf({ ...parameters, startFrom: undefined });
	if (!scheme || scheme.kind === 'token' || scheme.kind === 'customHmacFromPreset') return scheme;
	return { ...scheme, secretEncoding: 'whsecOrText' };
}

function isSenderName(name: string): name is SenderName {
	return Object.hasOwn(SENDER_PROFILES, name);
}

function schemeOf(parameters: SchemeParameters): SignatureScheme | null {
	if (isSenderName(parameters.scheme)) return { kind: parameters.scheme };
	switch (parameters.scheme) {
		case 'token':
			return { kind: 'token', header: optional(parameters.tokenHeader) ?? TOKEN_HEADER_DEFAULT };
		case 'customHmac':
			return customHmacScheme(parameters);
		default:
			return null;
	}
}

function customHmacScheme(parameters: SchemeParameters): SignatureScheme {
	const overrides = overridesOf(parameters);
	const preset = presetToStartFrom(parameters.startFrom);
	if (preset)
		return { kind: 'customHmacFromPreset', profile: presetWithOverrides(preset, overrides) };
	return {
		kind: 'customHmac',
		signatureHeader: overrides.signatureHeader ?? CUSTOM_HMAC_DEFAULTS.signatureHeader,
		algorithm: overrides.algorithm ?? CUSTOM_HMAC_DEFAULTS.algorithm,
		encoding: overrides.encoding ?? CUSTOM_HMAC_DEFAULTS.encoding,
		prefix: overrides.prefix,
		timestampHeader: overrides.timestampHeader,
		idHeader: overrides.idHeader,
		secretEncoding: overrides.secretEncoding ?? CUSTOM_HMAC_DEFAULTS.secretEncoding,
	};
}
