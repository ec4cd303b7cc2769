import type { DigestEncoding } from './encoding';
import {
	signsId,
	signsTimestamp,
	type HmacAlgorithm,
	type HmacProfile,
	type SenderProfile,
} from './profile';
import type { SecretEncoding } from './secrets';
import { calCom } from './senders/calCom';
import { calendly } from './senders/calendly';
import { elevenLabs } from './senders/elevenLabs';
import { github } from './senders/github';
import { gitlab } from './senders/gitlab';
import { intercom } from './senders/intercom';
import { lemonSqueezy } from './senders/lemonSqueezy';
import { linear } from './senders/linear';
import { meta } from './senders/meta';
import { mux } from './senders/mux';
import { paddle } from './senders/paddle';
import { shopify } from './senders/shopify';
import { slack } from './senders/slack';
import { standardWebhooks } from './senders/standardWebhooks';
import { stripe } from './senders/stripe';
import { telegram } from './senders/telegram';
import { typeform } from './senders/typeform';
import { wooCommerce } from './senders/wooCommerce';

/** The senders whose whole profile is fixed: picking one fills everything but the secret. */
export const SENDER_PROFILES = {
	standardWebhooks,
	github,
	stripe,
	shopify,
	gitlab,
	mux,
	slack,
	meta,
	paddle,
	calendly,
	elevenLabs,
	linear,
	typeform,
	intercom,
	lemonSqueezy,
	wooCommerce,
	calCom,
	telegram,
} satisfies Record<string, SenderProfile>;

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

/** A shared secret sent as it is in a header of the user's choice, or as a bearer token; nothing is signed. */
export interface TokenScheme {
	kind: 'token';
	header: string;
}

export type SignatureScheme = SenderScheme | CustomHmacScheme | TokenScheme;

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The timestamp tolerance a receiver applies: the user's (`chosen`), else the sender's own, else the default. */
export function schemeTolerance(scheme: SignatureScheme, chosen?: number): number {
	const profile = profileOf(scheme);
	const senders = profile.kind === 'hmac' ? profile.toleranceSeconds : undefined;
	return chosen ?? senders ?? DEFAULT_TOLERANCE_SECONDS;
}

function customProfile(scheme: CustomHmacScheme): HmacProfile {
	const prefix = (scheme.prefix ?? '').trim();
	return {
		kind: 'hmac',
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

/** The profile the verification engine reads for a scheme. */
export function profileOf(scheme: SignatureScheme): SenderProfile {
	switch (scheme.kind) {
		case 'customHmac':
			return customProfile(scheme);
		case 'token':
			return { kind: 'token', label: 'Shared Token', header: scheme.header };
		default: {
			const profile: SenderProfile = SENDER_PROFILES[scheme.kind];
			return profile.kind === 'hmac' && scheme.secretEncoding
				? { ...profile, secretEncoding: scheme.secretEncoding }
				: profile;
		}
	}
}

/** How a scheme reads the credential's secret; a shared token is compared as the text it is. */
export function schemeSecretEncoding(scheme: SignatureScheme): SecretEncoding {
	const profile = profileOf(scheme);
	return profile.kind === 'token' ? 'text' : profile.secretEncoding;
}

/**
 * The headers to read the event type and id from, in order: the one the user names (`chosen`),
 * then the one the scheme's sender is known to use.
 */
export function eventHeaders(
	scheme: SignatureScheme | null,
	chosen: { type?: string; id?: string } = {},
): { type: string[]; id: string[] } {
	const profile = scheme ? profileOf(scheme) : undefined;
	const named = (header: string | undefined) => (header?.trim() ? [header.trim()] : []);
	return {
		type: [...named(chosen.type), ...(profile?.typeHeaders ?? [])],
		id: [...named(chosen.id), ...(profile?.idHeaders ?? [])],
	};
}

/** How the editor names a scheme. */
export function schemeLabel(scheme: SignatureScheme): string {
	return profileOf(scheme).label;
}

/** Header names (lower case) that carry signature material for a scheme; useful to strip them from output. */
export function signatureHeaderNames(scheme: SignatureScheme): string[] {
	const profile = profileOf(scheme);
	const names =
		profile.kind === 'token'
			? [profile.header]
			: [...profile.signature.headers, ...(profile.otherSignatureHeaders ?? [])];
	return names.map((name) => name.toLowerCase());
}

/** The headers a sender must send for a scheme, as it should name them. */
export function schemeHeaders(scheme: SignatureScheme): string[] {
	const profile = profileOf(scheme);
	if (profile.kind === 'token') return [profile.header];
	const { signature, idHeaders, timestampHeaders } = profile;
	return [
		...(signsId(profile) && idHeaders ? [idHeaders[0]] : []),
		...(signsTimestamp(profile) && timestampHeaders ? [timestampHeaders[0]] : []),
		signature.headers[0],
	];
}
