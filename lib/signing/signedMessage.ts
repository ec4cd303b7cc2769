import { bodyFields, firstField } from './bodyFields';
import { decodeDigest, type DigestEncoding } from './encoding';
import { readFirstHeader, readHeader, type HeaderBag } from '../http/headers';
import {
	checksTimestamp,
	signatureBytes,
	signedContent,
	signsId,
	signsNonce,
	type SignatureFormat,
	type SignatureProfile,
	type SignedContent,
} from './profile';
import { requestValues, withDefaultPortToggled, type SignedRequest } from './signedRequest';
import { timestampSeconds, timestampUnitName } from './timestamp';

const VERIFICATION_FAILURES = [
	'missing_signature',
	'malformed_signature',
	'missing_timestamp',
	'timestamp_out_of_tolerance',
	'signature_mismatch',
] as const;

export type VerificationFailure = (typeof VERIFICATION_FAILURES)[number];

/** Every content a signature of the message may cover, the likeliest first. */
export const signedContents = (message: SignedMessage): SignedContent[] => [
	message.content,
	...(message.alternatives ?? []),
];

/** Whether a refusal's reason is one of the signature check's failures. */
export function isVerificationFailure(reason: string): reason is VerificationFailure {
	return (VERIFICATION_FAILURES as readonly string[]).includes(reason);
}

/** What a request claims: the signatures to check and the content they must cover. */
export interface SignedMessage {
	/** Signed content around the raw body. */
	content: SignedContent;
	/** Other contents the sender may have signed instead (its URL with or without the default port). */
	alternatives?: SignedContent[];
	candidates: Buffer[];
	/** Unix seconds, whatever unit the sender writes it in. */
	timestamp?: number;
	id?: string;
	/** The signed `{nonce}`, which a later request must not repeat. */
	nonce?: string;
}

export type ParseResult =
	| { ok: true; message: SignedMessage }
	| {
			ok: false;
			reason: VerificationFailure;
			message: string;
			/** With `missing_timestamp`: the unreadable timestamp as sent, for the diagnosis. */
			rawTimestamp?: string;
	  };

const SEPARATORS: Record<'space' | 'spaceOrComma', RegExp> = {
	space: / +/,
	spaceOrComma: /[\s,]+/,
};

function fail(reason: VerificationFailure, message: string, rawTimestamp?: string): ParseResult {
	return { ok: false, reason, message, rawTimestamp };
}

/** The first header of `names` the request carries, and its value. */
function firstHeader(headers: HeaderBag, names: string[]): [string, string] | undefined {
	for (const name of names) {
		const value = readHeader(headers, name);
		if (value !== undefined) return [name, value];
	}
	return undefined;
}

/** The signature headers sent: the first of the profile's, or each of them where each has its own key. */
function sentSignatureHeaders(
	headers: HeaderBag,
	signature: SignatureProfile['signature'],
): Array<[string, string]> {
	if (!signature.oneHeaderPerKey) {
		const found = firstHeader(headers, signature.headers);
		return found ? [found] : [];
	}
	return signature.headers.flatMap((name): Array<[string, string]> => {
		const value = readHeader(headers, name);
		return value === undefined ? [] : [[name, value]];
	});
}

/** How a list of aliases is named to the sender: "webhook-id (or svix-id)". */
function named(names: string[] = []): string {
	const [first, ...aliases] = names;
	return aliases.length > 0 ? `${first} (or ${aliases.join(', ')})` : first;
}

/** Where a value is looked for, as the sender is told: "the X-Time header", "the body field a.b". */
function placeNamed(headers: string[] = [], fields: string[] = []): string {
	return headers.length > 0 ? `${named(headers)} header` : `body field ${named(fields)}`;
}

/** The digests (still encoded) and, for pairs, the timestamp a signature header holds. */
function readSignatureValue(
	value: string,
	format: SignatureFormat,
): { digests: string[]; timestamp?: string } {
	if (format.kind === 'pairs') {
		const pairs = value.split(format.separator).map((part) => {
			const at = part.indexOf('=');
			return at < 0 ? ['', ''] : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
		});
		return {
			digests: pairs.filter(([key]) => key === format.signatureKey).map(([, digest]) => digest),
			timestamp: pairs.find(([key]) => key === format.timestampKey)?.[1],
		};
	}
	const prefix = format.prefix.toLowerCase();
	const entries = format.separator === 'none' ? [value] : value.split(SEPARATORS[format.separator]);
	// The digest may follow the prefix directly ("sha256=<digest>") or after whitespace ("HMAC <digest>").
	const digests = entries.flatMap((entry, index) => {
		if (!entry.toLowerCase().startsWith(prefix)) return [];
		const rest = entry.slice(prefix.length).trim();
		return [rest === '' && prefix !== '' ? (entries[index + 1] ?? '') : rest];
	});
	return { digests };
}

function digestShape(format: SignatureFormat, encoding: DigestEncoding): string {
	return format.kind === 'pairs'
		? `"${format.signatureKey}=<${encoding} digest>"`
		: `"${format.prefix}<${encoding} digest>"`;
}

/**
 * Reads the signature material a sender's profile defines from the request headers (and the URL,
 * method and form fields it signs, from `request`), without checking it.
 */
export function parseSignedMessage(
	profile: SignatureProfile,
	headers: HeaderBag,
	request: SignedRequest = {},
): ParseResult {
	const { signature } = profile;
	const sent = sentSignatureHeaders(headers, signature);
	const fields = bodyFields(request.body, readHeader(headers, 'content-type'));
	const inBody = sent.length === 0 ? firstField(fields, signature.fields) : undefined;
	const found = inBody ? [inBody] : sent;
	if (found.length === 0) {
		const where = placeNamed(signature.headers, signature.fields);
		return fail('missing_signature', `The ${where} is missing.`);
	}
	const [[source]] = found;
	const place = inBody ? `body field ${source}` : `${source} header`;
	const reads = found.map(([, value]) => readSignatureValue(value, signature.format));
	const read = { digests: reads.flatMap(({ digests }) => digests), timestamp: reads[0].timestamp };
	const id = readFirstHeader(headers, profile.idHeaders);
	if (signsId(profile) && id === undefined) {
		return fail(
			'malformed_signature',
			`The ${named(profile.idHeaders)} header is missing; it is part of the signed content.`,
		);
	}
	let timestamp: number | undefined;
	let sentTimestamp: string | undefined;
	if (checksTimestamp(profile)) {
		const unit = profile.timestampUnit ?? 'seconds';
		const text =
			signature.format.kind === 'pairs'
				? read.timestamp
				: (readFirstHeader(headers, profile.timestampHeaders) ??
					firstField(fields, profile.timestampFields)?.[1]);
		const seconds = text === undefined ? undefined : timestampSeconds(text, unit);
		if (seconds === undefined) {
			const where =
				signature.format.kind === 'pairs'
					? `The ${place} has no "${signature.format.timestampKey}=<Unix time>" entry.`
					: `The ${placeNamed(profile.timestampHeaders, profile.timestampFields)} is missing or is not a ${timestampUnitName(unit)}.`;
			return fail('missing_timestamp', where, text);
		}
		// Signed as sent; compared with the clock in seconds.
		sentTimestamp = text;
		timestamp = seconds;
	}
	const nonce = firstField(fields, profile.nonceFields)?.[1];
	if (signsNonce(profile) && nonce === undefined) {
		return fail(
			'malformed_signature',
			`The ${placeNamed([], profile.nonceFields)} is missing; it is part of the signed content.`,
		);
	}
	const candidates = read.digests
		.map((digest) => decodeDigest(digest, signature.encoding, signatureBytes(profile)))
		.filter((digest): digest is Buffer => digest !== undefined);
	if (candidates.length === 0) {
		return fail(
			'malformed_signature',
			`The ${place} has no well-formed ${digestShape(signature.format, signature.encoding)} entry.`,
		);
	}
	const fill = (url: string | undefined) =>
		signedContent(profile.signedContent, {
			timestamp: sentTimestamp,
			id,
			nonce,
			...requestValues(profile, headers, { ...request, url }),
		});
	const otherUrl =
		profile.urlDefaultPortOptional && request.url !== undefined
			? withDefaultPortToggled(request.url)
			: undefined;
	return {
		ok: true,
		message: {
			content: fill(request.url),
			alternatives: otherUrl === undefined ? undefined : [fill(otherUrl)],
			candidates,
			timestamp,
			id,
			nonce,
		},
	};
}
