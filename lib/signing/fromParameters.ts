import type { HmacAlgorithm } from './profile';
import { SENDER_PROFILES, type SenderName, type SignatureScheme } from './schemes';
import type { DigestEncoding } from './encoding';
import { SECRET_ENCODINGS } from './secrets';

/** Node parameters that pick a scheme; `none` (or anything unknown) means unsigned. */
export interface SchemeParameters {
	scheme: string;
	signatureHeader?: string;
	algorithm?: string;
	encoding?: string;
	prefix?: string;
	timestampHeader?: string;
	idHeader?: string;
	secretEncoding?: string;
	tokenHeader?: string;
}

/** What each Custom HMAC field means when left empty; the editor shows the same values as defaults. */
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
	const scheme = schemeOf(parameters);
	if (!scheme || scheme.kind === 'token' || nodeVersion >= SECRETS_PER_SENDER_VERSION)
		return scheme;
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
			return {
				kind: 'customHmac',
				signatureHeader:
					optional(parameters.signatureHeader) ?? CUSTOM_HMAC_DEFAULTS.signatureHeader,
				algorithm:
					ALGORITHMS.find((algorithm) => algorithm === parameters.algorithm) ??
					CUSTOM_HMAC_DEFAULTS.algorithm,
				encoding:
					ENCODINGS.find((encoding) => encoding === parameters.encoding) ??
					CUSTOM_HMAC_DEFAULTS.encoding,
				prefix: optional(parameters.prefix),
				timestampHeader: optional(parameters.timestampHeader),
				idHeader: optional(parameters.idHeader),
				secretEncoding:
					SECRET_ENCODINGS.find((encoding) => encoding === parameters.secretEncoding) ??
					CUSTOM_HMAC_DEFAULTS.secretEncoding,
			};
		default:
			return null;
	}
}
