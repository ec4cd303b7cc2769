import type { DigestEncoding } from './encoding';
import { signsId, signsTimestamp, type HmacAlgorithm, type HmacProfile } from './profile';
import type { SecretEncoding } from './secrets';
import { github } from './senders/github';
import { standardWebhooks } from './senders/standardWebhooks';
import { stripe } from './senders/stripe';

/** The senders whose whole profile is fixed: picking one fills everything but the secret. */
export const SENDER_PROFILES = { standardWebhooks, github, stripe } satisfies Record<
	string,
	HmacProfile
>;

export type SenderName = keyof typeof SENDER_PROFILES;

/** A named sender; `secretEncoding` replaces the sender's own (version 1 nodes read every secret one way). */
export interface SenderScheme {
	kind: SenderName;
	secretEncoding?: SecretEncoding;
}

export interface CustomHmacScheme {
	kind: 'customHmac';
	/** Header carrying the signature, e.g. `x-signature`. */
	signatureHeader: string;
	algorithm: HmacAlgorithm;
	encoding: DigestEncoding;
	/** Text before the digest, e.g. `sha256=`. */
	prefix?: string;
	/** When set, the signed content is `<timestamp>.<body>` and the timestamp is checked against the tolerance. */
	timestampHeader?: string;
	/** Header carrying the event id, if the sender sends one. */
	idHeader?: string;
	/** How the secret becomes the key; text when absent. */
	secretEncoding?: SecretEncoding;
}

/** A shared secret sent as it is in a header (GitLab, Telegram) or as a bearer token; nothing is signed. */
export interface TokenScheme {
	kind: 'token';
	header: string;
}

export type SignatureScheme = SenderScheme | CustomHmacScheme | TokenScheme;

export type HmacScheme = Exclude<SignatureScheme, TokenScheme>;

export const DEFAULT_TOLERANCE_SECONDS = 300;

function customProfile(scheme: CustomHmacScheme): HmacProfile {
	const prefix = (scheme.prefix ?? '').trim();
	return {
		label: 'Custom HMAC',
		secretEncoding: scheme.secretEncoding ?? 'text',
		algorithm: scheme.algorithm,
		signature: {
			headers: [scheme.signatureHeader],
			encoding: scheme.encoding,
			// A prefix with a space or comma in it ("HMAC-SHA256 ") would be cut by splitting.
			format: {
				kind: 'entries',
				separator: /[\s,]/.test(prefix) ? 'none' : 'spaceOrComma',
				prefix,
			},
		},
		timestampHeaders: scheme.timestampHeader ? [scheme.timestampHeader] : undefined,
		idHeaders: scheme.idHeader ? [scheme.idHeader] : undefined,
		signedContent: scheme.timestampHeader ? '{timestamp}.{body}' : '{body}',
	};
}

/** The profile the verification engine reads for an HMAC scheme. */
export function hmacProfile(scheme: HmacScheme): HmacProfile {
	if (scheme.kind === 'customHmac') return customProfile(scheme);
	const profile = SENDER_PROFILES[scheme.kind];
	return scheme.secretEncoding ? { ...profile, secretEncoding: scheme.secretEncoding } : profile;
}

/** How a scheme reads the credential's secret; a shared token is compared as the text it is. */
export function schemeSecretEncoding(scheme: SignatureScheme): SecretEncoding {
	return scheme.kind === 'token' ? 'text' : hmacProfile(scheme).secretEncoding;
}

/**
 * The headers to read the event type and id from, in order: the one the user names (`chosen`),
 * then the one the scheme's sender is known to use.
 */
export function eventHeaders(
	scheme: SignatureScheme | null,
	chosen: { type?: string; id?: string } = {},
): { type: string[]; id: string[] } {
	const profile = scheme && scheme.kind !== 'token' ? hmacProfile(scheme) : undefined;
	const named = (header: string | undefined) => (header?.trim() ? [header.trim()] : []);
	return {
		type: [...named(chosen.type), ...(profile?.typeHeaders ?? [])],
		id: [...named(chosen.id), ...(profile?.idHeaders ?? [])],
	};
}

/** How the editor names a scheme. */
export function schemeLabel(scheme: SignatureScheme): string {
	return scheme.kind === 'token' ? 'Shared Token' : hmacProfile(scheme).label;
}

/** Header names (lower case) that carry signature material for a scheme; useful to strip them from output. */
export function signatureHeaderNames(scheme: SignatureScheme): string[] {
	if (scheme.kind === 'token') return [scheme.header.toLowerCase()];
	const { signature, otherSignatureHeaders = [] } = hmacProfile(scheme);
	return [...signature.headers, ...otherSignatureHeaders].map((name) => name.toLowerCase());
}

/** The headers a sender must send for a scheme, as it should name them. */
export function schemeHeaders(scheme: SignatureScheme): string[] {
	if (scheme.kind === 'token') return [scheme.header];
	const profile = hmacProfile(scheme);
	const { signature, idHeaders, timestampHeaders } = profile;
	return [
		...(signsId(profile) && idHeaders ? [idHeaders[0]] : []),
		...(signsTimestamp(profile) && timestampHeaders ? [timestampHeaders[0]] : []),
		signature.headers[0],
	];
}
