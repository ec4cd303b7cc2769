import { decodeDigest, type DigestEncoding } from './encoding';
import { readPath } from '../events/normalize';
import { parseBody } from '../http/body';
import { readFirstHeader, readHeader, type HeaderBag } from '../http/headers';
import {
	checksTimestamp,
	signatureBytes,
	signedContent,
	signsId,
	type SignatureFormat,
	type SignatureProfile,
	type SignedContent,
	type TimestampUnit,
} from './profile';
import { requestValues, withDefaultPortToggled, type SignedRequest } from './signedRequest';

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

/** How each unit is written, and how many of it make a second. */
const TIMESTAMP_UNITS: Record<TimestampUnit, { pattern: RegExp; perSecond: number; name: string }> =
	{
		seconds: { pattern: /^\d{1,12}$/, perSecond: 1, name: 'Unix time in seconds' },
		milliseconds: { pattern: /^\d{1,15}$/, perSecond: 1000, name: 'Unix time in milliseconds' },
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

/** How a list of aliases is named to the sender: "webhook-id (or svix-id)". */
function named(names: string[] = []): string {
	const [first, ...aliases] = names;
	return aliases.length > 0 ? `${first} (or ${aliases.join(', ')})` : first;
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

/** The first of `fields` a JSON or form body holds that is text or a number, as text. */
function bodyField(
	headers: HeaderBag,
	body: Buffer | string | undefined,
	fields: string[],
): string | undefined {
	if (body === undefined) return undefined;
	const parsed = parseBody(Buffer.from(body), readHeader(headers, 'content-type'));
	if (parsed.kind !== 'parsed' || typeof parsed.value !== 'object' || parsed.value === null)
		return undefined;
	for (const field of fields) {
		const value = readPath(parsed.value as Record<string, unknown>, field);
		if (typeof value === 'string' || typeof value === 'number') return String(value);
	}
	return undefined;
}

/** The `{timestamp}` as sent: in the signature's pairs, in body fields, or in a header. */
function timestampText(
	profile: SignatureProfile,
	headers: HeaderBag,
	inPairs: string | undefined,
	body: Buffer | string | undefined,
): string | undefined {
	if (profile.signature.format.kind === 'pairs') return inPairs;
	if (profile.timestampFields) return bodyField(headers, body, profile.timestampFields);
	return readFirstHeader(headers, profile.timestampHeaders);
}

/** Where the timestamp should have been, for the refusal. */
function timestampWhere(profile: SignatureProfile, header: string, unitName: string): string {
	const { format } = profile.signature;
	if (format.kind === 'pairs')
		return `The ${header} header has no "${format.timestampKey}=<Unix time>" entry.`;
	if (profile.timestampFields)
		return `The body's ${named(profile.timestampFields)} field is missing or is not a ${unitName}.`;
	return `The ${named(profile.timestampHeaders)} header is missing or is not a ${unitName}.`;
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
	const found = firstHeader(headers, signature.headers);
	if (!found)
		return fail('missing_signature', `The ${named(signature.headers)} header is missing.`);
	const [header, value] = found;
	const read = readSignatureValue(value, signature.format);
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
		const unit = TIMESTAMP_UNITS[profile.timestampUnit ?? 'seconds'];
		const text = timestampText(profile, headers, read.timestamp, request.body);
		if (text === undefined || !unit.pattern.test(text)) {
			return fail('missing_timestamp', timestampWhere(profile, header, unit.name), text);
		}
		// Signed as sent; compared with the clock in seconds.
		sentTimestamp = text;
		timestamp = Math.floor(Number(text) / unit.perSecond);
	}
	const candidates = read.digests
		.map((digest) => decodeDigest(digest, signature.encoding, signatureBytes(profile)))
		.filter((digest): digest is Buffer => digest !== undefined);
	if (candidates.length === 0) {
		return fail(
			'malformed_signature',
			`The ${header} header has no well-formed ${digestShape(signature.format, signature.encoding)} entry.`,
		);
	}
	const fill = (url: string | undefined) =>
		signedContent(profile.signedContent, {
			timestamp: sentTimestamp,
			id,
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
		},
	};
}
