import { readHeader, type HeaderBag } from '../http/headers';
import { hmacDigest, matchesAny } from './hmac';
import type { HmacAlgorithm, HmacProfile, SenderProfile, SignatureProfile } from './profile';
import { publicKeyProblem, signedByAny } from './publicKey';
import {
	profileOf,
	SENDER_PROFILES,
	signatureHeaderNames,
	type SenderName,
	type SignatureScheme,
} from './schemes';
import { isBase64 } from './encoding';
import { secretProblem, secretToKey, STANDARD_PREFIX } from './secrets';
import {
	parseSignedMessage,
	signedContents,
	type SignedMessage,
	type VerificationFailure,
} from './signedMessage';

/**
 * Why a refused request was probably refused, as far as the request alone tells. Findings carry
 * no key, digest or signature: only names, counts and seconds, so they may be shown anywhere.
 */
export type SignatureFinding =
	/** The request carries another scheme's signature header; `verifies` when it checks out under that scheme. */
	| {
			kind: 'other_scheme';
			scheme: SenderName;
			header: string;
			verifies: boolean;
	  }
	/** The sender used the secret as plain text (`withPrefix`: "whsec_" included), the node did not. */
	| { kind: 'secret_used_as_text'; withPrefix: boolean; previous: boolean }
	/** The sender base64-decoded a secret the credential holds as plain text. */
	| { kind: 'secret_base64_decoded'; previous: boolean }
	/** The request is signed with the credential's Previous Secret; it failed for another reason. */
	| { kind: 'previous_secret' }
	| { kind: 'timestamp_in_milliseconds' }
	/** `seconds` is the sender's timestamp minus n8n's clock: positive when the sender is ahead. */
	| { kind: 'clock_skew'; seconds: number; toleranceSeconds: number; signatureValid: boolean }
	/** The sender signed the same JSON written another way than the bytes it sent. */
	| { kind: 'body_reserialised'; signedAs: string };

export interface DiagnosisRequest {
	scheme: SignatureScheme;
	/** The credential's secrets: current first, then the previous one of a rotation. */
	secrets: string[];
	headers: HeaderBag;
	/** The exact bytes received. */
	body: Buffer;
	/** Unix seconds. */
	now: number;
	toleranceSeconds: number;
	failure: VerificationFailure;
	/** The URL and method the request was sent with, for schemes that sign them. */
	url?: string;
	method?: string;
}

const MILLISECONDS = /^\d{13}$/;

/** A key the sender may have used, and what using it means. */
interface OtherReading {
	key: Buffer;
	finding: SignatureFinding;
}

function signs(
	algorithm: HmacAlgorithm,
	message: SignedMessage,
	keys: Buffer[],
	body: Buffer | string,
): boolean {
	return keys.some((key) =>
		signedContents(message).some((content) =>
			matchesAny(hmacDigest(algorithm, key, content, body), message.candidates),
		),
	);
}

/** What the request says besides its headers, as parseSignedMessage reads it. */
const signed = ({ url, method, body }: DiagnosisRequest) => ({ url, method, body });

function keysOf(secrets: string[], profile: HmacProfile): Buffer[] {
	return secrets.map((secret) => secretToKey(secret, profile.secretEncoding));
}

/** Whether one of `secrets` (HMAC secrets, or public keys) signs `body` as `message` claims. */
function signedBy(
	profile: SignatureProfile,
	message: SignedMessage,
	secrets: string[],
	body: Buffer | string,
): boolean {
	return profile.kind === 'publicKey'
		? signedContents(message).some((content) =>
				signedByAny(profile, secrets, content, body, message.candidates),
			)
		: signs(profile.algorithm, message, keysOf(secrets, profile), body);
}

/** Whether the profile can read `secret` as its key, as switching to it would. */
function readable(profile: SignatureProfile, secret: string): boolean {
	return profile.kind === 'publicKey'
		? !publicKeyProblem(secret, profile)
		: !secretProblem(secret, profile.secretEncoding);
}

function otherSchemes(request: DiagnosisRequest): SignatureFinding[] {
	// The node's own scheme's headers are not another scheme's, even where they share a name; and
	// where senders share a header (GitHub's and Meta's X-Hub-Signature-256), the first listed
	// names it, with the headers it also sends.
	const claimed = signatureHeaderNames(request.scheme);
	const findings: SignatureFinding[] = [];
	for (const scheme of Object.keys(SENDER_PROFILES) as SenderName[]) {
		const profile: SenderProfile = SENDER_PROFILES[scheme];
		if (profile.kind === 'token') continue;
		const header = profile.signature.headers.find(
			(name) =>
				!claimed.includes(name.toLowerCase()) && readHeader(request.headers, name) !== undefined,
		);
		if (header === undefined) continue;
		claimed.push(...signatureHeaderNames({ kind: scheme }));
		const parsed = parseSignedMessage(profile, request.headers, signed(request));
		// Keys read as that sender reads its secrets: what switching to it would give.
		const usable = request.secrets.every((secret) => readable(profile, secret));
		const verifies =
			parsed.ok && usable && signedBy(profile, parsed.message, request.secrets, request.body);
		findings.push({ kind: 'other_scheme', scheme, header, verifies });
	}
	return findings;
}

/** The keys a sender gets when it reads one of the secrets differently from the node. */
function otherReadings(secrets: string[], nodeKeys: Buffer[]): OtherReading[] {
	return secrets.flatMap((secret, index): OtherReading[] => {
		const previous = index > 0;
		const trimmed = secret.trim();
		const prefixed = trimmed.startsWith(STANDARD_PREFIX);
		const encoded = prefixed ? trimmed.slice(STANDARD_PREFIX.length) : trimmed;
		const readings: OtherReading[] = [
			{
				key: Buffer.from(trimmed, 'utf8'),
				finding: { kind: 'secret_used_as_text', withPrefix: prefixed, previous },
			},
		];
		if (prefixed) {
			readings.push({
				key: Buffer.from(encoded, 'utf8'),
				finding: { kind: 'secret_used_as_text', withPrefix: false, previous },
			});
		}
		if (isBase64(encoded) && Buffer.from(encoded, 'base64').length > 0) {
			readings.push({
				key: Buffer.from(encoded, 'base64'),
				finding: { kind: 'secret_base64_decoded', previous },
			});
		}
		return readings.filter(({ key }) => !key.equals(nodeKeys[index]));
	});
}

/** The same JSON written as common senders write it, each labelled for the explanation. */
function reserialisations(body: Buffer): Array<{ signedAs: string; text: string }> {
	let value: unknown;
	try {
		value = JSON.parse(body.toString('utf8'));
	} catch {
		return [];
	}
	const sorted = sortKeys(value);
	const pythonStyle = (json: unknown) =>
		JSON.stringify(json, null, 1)
			.replace(/\n */g, ' ')
			.replace(/([[{]) /g, '$1')
			.replace(/ ([\]}])/g, '$1');
	const forms = [
		{ signedAs: 'compact JSON', text: JSON.stringify(value) },
		{ signedAs: 'JSON indented with 2 spaces', text: JSON.stringify(value, null, 2) },
		{ signedAs: 'JSON indented with 4 spaces', text: JSON.stringify(value, null, 4) },
		{
			signedAs: 'JSON with ", " and ": " separators (Python json.dumps)',
			text: pythonStyle(value),
		},
		{ signedAs: 'compact JSON with sorted keys', text: JSON.stringify(sorted) },
		{ signedAs: 'JSON with sorted keys and ", " separators', text: pythonStyle(sorted) },
		{ signedAs: 'the body with a trailing line break', text: `${body.toString('utf8')}\n` },
		{ signedAs: 'the body without its trailing line break', text: body.toString('utf8').trimEnd() },
	];
	const sent = body.toString('utf8');
	return forms.filter(
		(form, index) =>
			form.text !== sent && forms.findIndex((other) => other.text === form.text) === index,
	);
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.keys(value)
			.sort()
			.map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
	);
}

function mismatchFindings(
	request: DiagnosisRequest,
	profile: SignatureProfile,
	message: SignedMessage,
): SignatureFinding[] {
	// A public key has one reading: only an HMAC secret can be read another way by the sender.
	if (profile.kind === 'hmac') {
		const keys = keysOf(request.secrets, profile);
		const reading = otherReadings(request.secrets, keys).find(({ key }) =>
			signs(profile.algorithm, message, [key], request.body),
		);
		if (reading) return [reading.finding];
	}
	const form = reserialisations(request.body).find(({ text }) =>
		signedBy(profile, message, request.secrets, text),
	);
	return form ? [{ kind: 'body_reserialised', signedAs: form.signedAs }] : [];
}

function timestampFindings(
	request: DiagnosisRequest,
	profile: SignatureProfile,
	message: SignedMessage,
): SignatureFinding[] {
	const seconds = (message.timestamp ?? request.now) - request.now;
	const [current, ...previous] = request.secrets;
	const byCurrent = current !== undefined && signedBy(profile, message, [current], request.body);
	const byPrevious = !byCurrent && signedBy(profile, message, previous, request.body);
	const skew: SignatureFinding = {
		kind: 'clock_skew',
		seconds,
		toleranceSeconds: request.toleranceSeconds,
		signatureValid: byCurrent || byPrevious,
	};
	return byPrevious ? [skew, { kind: 'previous_secret' }] : [skew];
}

/**
 * Looks for the likely cause of a signature failure. Only explains: it never changes the answer,
 * and returns no key material. An empty list means nothing recognisable was found.
 */
export function diagnoseSignatureFailure(request: DiagnosisRequest): SignatureFinding[] {
	const profile = profileOf(request.scheme);
	// A shared token has nothing to diagnose: it matches or it does not.
	if (profile.kind === 'token') return [];
	const foreign = otherSchemes(request);
	const parsed = parseSignedMessage(profile, request.headers, signed(request));
	if (!parsed.ok) {
		const milliseconds =
			parsed.reason === 'missing_timestamp' && MILLISECONDS.test(parsed.rawTimestamp ?? '');
		return milliseconds ? [...foreign, { kind: 'timestamp_in_milliseconds' }] : foreign;
	}
	if (request.failure === 'timestamp_out_of_tolerance')
		return [...foreign, ...timestampFindings(request, profile, parsed.message)];
	if (request.failure === 'signature_mismatch')
		return [...foreign, ...mismatchFindings(request, profile, parsed.message)];
	return foreign;
}
