import type { DigestEncoding } from './encoding';
import {
	signsId,
	signsTimestamp,
	type HmacAlgorithm,
	type HmacProfile,
	type PublicKeyFormat,
	type PublicKeyProfile,
	type SenderProfile,
	type SignatureProfile,
	type TokenProfile,
} from './profile';
import { publicKeyProblem } from './publicKey';
import { secretProblem, type SecretEncoding } from './secrets';
import { box } from './senders/box';
import { calCom } from './senders/calCom';
import { calendly } from './senders/calendly';
import { discord } from './senders/discord';
import { elevenLabs } from './senders/elevenLabs';
import { github } from './senders/github';
import { gitlab } from './senders/gitlab';
import { hubspot } from './senders/hubspot';
import { intercom } from './senders/intercom';
import { lemonSqueezy } from './senders/lemonSqueezy';
import { linear } from './senders/linear';
import { mailgun } from './senders/mailgun';
import { meta } from './senders/meta';
import { mux } from './senders/mux';
import { paddle } from './senders/paddle';
import { sendgrid } from './senders/sendgrid';
import { shopify } from './senders/shopify';
import { slack } from './senders/slack';
import { square } from './senders/square';
import { standardWebhooks } from './senders/standardWebhooks';
import { stripe } from './senders/stripe';
import { telegram } from './senders/telegram';
import { twilio } from './senders/twilio';
import { twitch } from './senders/twitch';
import { typeform } from './senders/typeform';
import { wooCommerce } from './senders/wooCommerce';
import { zoom } from './senders/zoom';

/** The senders whose whole profile is fixed: picking one fills everything but the secret. */
export const SENDER_PROFILES = {
	standardWebhooks,
	github,
	stripe,
	shopify,
	gitlab,
	mux,
	discord,
	sendgrid,
	square,
	hubspot,
	twilio,
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
	zoom,
	mailgun,
	twitch,
	box,
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

/**
 * Custom HMAC started from a preset: the preset's profile with the fields the user filled in
 * replacing its own (merged in `fromParameters.ts`), verified like any profile.
 */
export interface PresetHmacScheme {
	kind: 'customHmacFromPreset';
	profile: HmacProfile;
}

export type SignatureScheme = SenderScheme | CustomHmacScheme | PresetHmacScheme | TokenScheme;

/** The named senders that sign with their private key: their requests can be checked, not made. */
type PublicKeySender = {
	[Name in SenderName]: (typeof SENDER_PROFILES)[Name] extends PublicKeyProfile ? Name : never;
}[SenderName];

/** A scheme the nodes can sign with (Notify, the publish and persist channels). */
export type SignableScheme =
	| CustomHmacScheme
	| PresetHmacScheme
	| TokenScheme
	| { kind: Exclude<SenderName, PublicKeySender>; secretEncoding?: SecretEncoding };

/** Whether the nodes can sign under `scheme`: they hold no sender's private key. */
export function isSignable(scheme: SignatureScheme): scheme is SignableScheme {
	return profileOf(scheme).kind !== 'publicKey';
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The timestamp tolerance a receiver applies: the user's (`chosen`), else the sender's own, else the default. */
export function schemeTolerance(scheme: SignatureScheme, chosen?: number): number {
	const profile = profileOf(scheme);
	const senders = profile.kind === 'token' ? undefined : profile.toleranceSeconds;
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
export function profileOf(scheme: SignableScheme): HmacProfile | TokenProfile;
export function profileOf(scheme: SignatureScheme): SenderProfile;
export function profileOf(scheme: SignatureScheme): SenderProfile {
	switch (scheme.kind) {
		case 'customHmac':
			return customProfile(scheme);
		case 'customHmacFromPreset':
			return scheme.profile;
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

/**
 * How a scheme reads the credential's secret; a shared token is compared as the text it is, and
 * a public-key scheme reads a public key.
 */
export function schemeSecretEncoding(scheme: SignableScheme): SecretEncoding;
export function schemeSecretEncoding(scheme: SignatureScheme): SecretEncoding | PublicKeyFormat;
export function schemeSecretEncoding(scheme: SignatureScheme): SecretEncoding | PublicKeyFormat {
	const profile = profileOf(scheme);
	if (profile.kind === 'publicKey') return profile.keyFormat;
	return profile.kind === 'token' ? 'text' : profile.secretEncoding;
}

/** Why `secret` cannot be the credential's secret (or public key) under `scheme`, or undefined. */
export function schemeSecretProblem(scheme: SignatureScheme, secret: string): string | undefined {
	const profile = profileOf(scheme);
	return profile.kind === 'publicKey'
		? publicKeyProblem(secret, profile)
		: secretProblem(secret, profile.kind === 'token' ? 'text' : profile.secretEncoding);
}

/** Where an event's type and id are read, as the trigger's normalisation takes them. */
export interface EventSources {
	typeHeaders: string[];
	idHeaders: string[];
	/** The body field the user names; empty or `auto` tries `autoTypeFields`. */
	typeField: string;
	/** The sender's own body fields for the type, when its profile names them. */
	autoTypeFields?: string[];
	/** The body field the user names, else the sender's own, else `id`. */
	idField: string;
	/** The sender's own body fields for the id, tried in order while the user names none. */
	autoIdFields?: string[];
}

/**
 * Where to read the event type and id. Headers: the one the user names (`chosen`), then those the
 * scheme's sender is known to use. Body: the field the user names, else the sender's own.
 */
export function eventSources(
	scheme: SignatureScheme | null,
	chosen: { typeHeader?: string; idHeader?: string; typeField?: string; idField?: string } = {},
): EventSources {
	const profile = scheme ? profileOf(scheme) : undefined;
	const named = (header: string | undefined) => (header?.trim() ? [header.trim()] : []);
	return {
		typeHeaders: [...named(chosen.typeHeader), ...(profile?.typeHeaders ?? [])],
		idHeaders: [
			...named(chosen.idHeader),
			...(profile?.idHeaders ?? []),
			...(chosen.idField?.trim() ? [] : (profile?.requestIdHeaders ?? [])),
		],
		typeField: chosen.typeField?.trim() ?? '',
		autoTypeFields: profile?.typeFields,
		idField: chosen.idField?.trim() || (profile?.idField ?? 'id'),
		autoIdFields: chosen.idField?.trim() ? undefined : profile?.idFields,
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
			: [
					...profile.signature.headers,
					...((profile.kind === 'hmac' && profile.otherSignatureHeaders) || []),
				];
	return names.map((name) => name.toLowerCase());
}

/** What a sender that signs in the body must send instead of headers: its signed fields, then the signature. */
function bodySignatureFields(profile: SignatureProfile): string[] {
	const first = (fields: string[] = []) => fields.slice(0, 1).map((path) => `${path} (body field)`);
	return [
		...(signsTimestamp(profile) ? first(profile.timestampFields) : []),
		...first(profile.nonceFields),
		...first(profile.signature.fields),
	];
}

/** The headers a sender must send for a scheme, as it should name them. */
export function schemeHeaders(scheme: SignatureScheme): string[] {
	const profile = profileOf(scheme);
	if (profile.kind === 'token') return [profile.header];
	const { signature, idHeaders, timestampHeaders } = profile;
	if (signature.headers.length === 0) return bodySignatureFields(profile);
	return [
		...(signsId(profile) && idHeaders ? [idHeaders[0]] : []),
		...(signsTimestamp(profile) && timestampHeaders ? [timestampHeaders[0]] : []),
		signature.headers[0],
	];
}
