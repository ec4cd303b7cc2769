import { decodeDigest } from './encoding';
import { readHeader, type HeaderBag } from '../http/headers';
import { DIGEST_BYTES, HEADERS, type HmacAlgorithm, type SignatureScheme } from './schemes';

const VERIFICATION_FAILURES = [
	'missing_signature',
	'malformed_signature',
	'missing_timestamp',
	'timestamp_out_of_tolerance',
	'signature_mismatch',
] as const;

export type VerificationFailure = (typeof VERIFICATION_FAILURES)[number];

/** Whether a refusal's reason is one of the signature check's failures. */
export function isVerificationFailure(reason: string): reason is VerificationFailure {
	return (VERIFICATION_FAILURES as readonly string[]).includes(reason);
}

/** What a request claims: the signatures to check and the content they must cover. */
export interface SignedMessage {
	algorithm: HmacAlgorithm;
	/** Signed content that comes before the raw body. */
	signedPrefix: string;
	candidates: Buffer[];
	timestamp?: number;
	id?: string;
}

export type ParseResult =
	| { ok: true; message: SignedMessage }
	| { ok: false; reason: VerificationFailure; message: string };

const UNIX_SECONDS = /^\d{1,12}$/;

function fail(reason: VerificationFailure, message: string): ParseResult {
	return { ok: false, reason, message };
}

function parseTimestamp(text: string | undefined): number | undefined {
	return text !== undefined && UNIX_SECONDS.test(text) ? Number(text) : undefined;
}

function decodeAll(values: string[], encoding: 'hex' | 'base64', bytes: number): Buffer[] {
	return values
		.map((value) => decodeDigest(value, encoding, bytes))
		.filter((digest): digest is Buffer => digest !== undefined);
}

function parseStandardWebhooks(headers: HeaderBag): ParseResult {
	const signature = readHeader(headers, HEADERS.standardSignature);
	if (!signature) return fail('missing_signature', 'The webhook-signature header is missing.');
	const id = readHeader(headers, HEADERS.standardId);
	if (!id)
		return fail(
			'malformed_signature',
			'The webhook-id header is missing; it is part of the signed content.',
		);
	const timestamp = parseTimestamp(readHeader(headers, HEADERS.standardTimestamp));
	if (timestamp === undefined) {
		return fail(
			'missing_timestamp',
			'The webhook-timestamp header is missing or is not a Unix time in seconds.',
		);
	}
	const v1Values = signature
		.split(' ')
		.filter((entry) => entry.startsWith('v1,'))
		.map((entry) => entry.slice(3));
	const candidates = decodeAll(v1Values, 'base64', DIGEST_BYTES.sha256);
	if (candidates.length === 0) {
		return fail(
			'malformed_signature',
			'The webhook-signature header has no well-formed "v1,<base64>" entry.',
		);
	}
	return {
		ok: true,
		message: {
			algorithm: 'sha256',
			signedPrefix: `${id}.${timestamp}.`,
			candidates,
			timestamp,
			id,
		},
	};
}

function parseGithub(headers: HeaderBag): ParseResult {
	const signature = readHeader(headers, HEADERS.githubSignature);
	if (!signature) return fail('missing_signature', 'The X-Hub-Signature-256 header is missing.');
	const values = signature
		.split(/[\s,]+/)
		.filter((entry) => entry.toLowerCase().startsWith('sha256='))
		.map((entry) => entry.slice('sha256='.length));
	const candidates = decodeAll(values, 'hex', DIGEST_BYTES.sha256);
	if (candidates.length === 0) {
		return fail(
			'malformed_signature',
			'The X-Hub-Signature-256 header is not "sha256=<hex digest>".',
		);
	}
	const id = readHeader(headers, HEADERS.githubDelivery);
	return { ok: true, message: { algorithm: 'sha256', signedPrefix: '', candidates, id } };
}

function parseStripe(headers: HeaderBag): ParseResult {
	const signature = readHeader(headers, HEADERS.stripeSignature);
	if (!signature) return fail('missing_signature', 'The Stripe-Signature header is missing.');
	const pairs = signature.split(',').map((part) => {
		const separator = part.indexOf('=');
		return separator < 0
			? ['', '']
			: [part.slice(0, separator).trim(), part.slice(separator + 1).trim()];
	});
	const timestamp = parseTimestamp(pairs.find(([key]) => key === 't')?.[1]);
	if (timestamp === undefined) {
		return fail('missing_timestamp', 'The Stripe-Signature header has no "t=<Unix time>" entry.');
	}
	const values = pairs.filter(([key]) => key === 'v1').map(([, value]) => value);
	const candidates = decodeAll(values, 'hex', DIGEST_BYTES.sha256);
	if (candidates.length === 0) {
		return fail(
			'malformed_signature',
			'The Stripe-Signature header has no well-formed "v1=<hex digest>" entry.',
		);
	}
	return {
		ok: true,
		message: { algorithm: 'sha256', signedPrefix: `${timestamp}.`, candidates, timestamp },
	};
}

function parseCustom(
	headers: HeaderBag,
	scheme: Extract<SignatureScheme, { kind: 'customHmac' }>,
): ParseResult {
	const signature = readHeader(headers, scheme.signatureHeader);
	if (!signature)
		return fail('missing_signature', `The ${scheme.signatureHeader} header is missing.`);
	const prefix = (scheme.prefix ?? '').trim();
	const entries = /[\s,]/.test(prefix) ? [signature] : signature.split(/[\s,]+/);
	// The digest may follow the prefix directly ("sha256=<digest>") or after whitespace ("HMAC <digest>").
	const values = entries.flatMap((entry, index) => {
		if (!entry.toLowerCase().startsWith(prefix.toLowerCase())) return [];
		const rest = entry.slice(prefix.length).trim();
		return [rest === '' && prefix !== '' ? (entries[index + 1] ?? '') : rest];
	});
	const candidates = decodeAll(values, scheme.encoding, DIGEST_BYTES[scheme.algorithm]);
	if (candidates.length === 0) {
		return fail(
			'malformed_signature',
			`The ${scheme.signatureHeader} header does not hold a ${scheme.encoding} ${scheme.algorithm.toUpperCase()} digest${prefix ? ` after "${prefix}"` : ''}.`,
		);
	}
	const id = scheme.idHeader ? readHeader(headers, scheme.idHeader) : undefined;
	if (!scheme.timestampHeader) {
		return { ok: true, message: { algorithm: scheme.algorithm, signedPrefix: '', candidates, id } };
	}
	const timestamp = parseTimestamp(readHeader(headers, scheme.timestampHeader));
	if (timestamp === undefined) {
		return fail(
			'missing_timestamp',
			`The ${scheme.timestampHeader} header is missing or is not a Unix time in seconds.`,
		);
	}
	return {
		ok: true,
		message: {
			algorithm: scheme.algorithm,
			signedPrefix: `${timestamp}.`,
			candidates,
			timestamp,
			id,
		},
	};
}

/** Reads the signature material a scheme defines from the request headers, without checking it. */
export function parseSignedMessage(scheme: SignatureScheme, headers: HeaderBag): ParseResult {
	switch (scheme.kind) {
		case 'standardWebhooks':
			return parseStandardWebhooks(headers);
		case 'github':
			return parseGithub(headers);
		case 'stripe':
			return parseStripe(headers);
		case 'customHmac':
			return parseCustom(headers, scheme);
	}
}
