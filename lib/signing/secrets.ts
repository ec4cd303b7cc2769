import { createSecretKey, type KeyObject } from 'node:crypto';

import { isBase64 } from './encoding';

/** The Standard Webhooks secret prefix: what follows it is base64. */
export const STANDARD_PREFIX = 'whsec_';

/**
 * How a configured secret becomes the HMAC key, as the sender's own library reads it:
 * - `text`: the whole value as UTF-8, `whsec_` included (Stripe, GitHub, Shopify);
 * - `base64`: base64, after an optional `whsec_` (Svix libraries);
 * - `hex`: hexadecimal bytes;
 * - `whsecOrText`: `whsec_<base64>` decoded, any other value as UTF-8 (Standard Webhooks here, and
 *   every scheme of the nodes' version 1).
 */
export type SecretEncoding = 'text' | 'base64' | 'hex' | 'whsecOrText';

export const SECRET_ENCODINGS: SecretEncoding[] = ['text', 'base64', 'hex', 'whsecOrText'];

export class SecretFormatError extends Error {}

const HEX_BYTES = /^(?:[0-9a-fA-F]{2})+$/;

const WHSEC_BASE64 =
	'A secret starting with "whsec_" must continue with valid base64 (for example "whsec_" followed by the output of `openssl rand -base64 32`).';
const BASE64_SECRET =
	'The secret must be base64 (with or without a "whsec_" prefix), as the sender shows it.';
const HEX_SECRET = 'The secret must be hexadecimal (pairs of 0-9 and a-f), as the sender shows it.';

function base64Key(encoded: string, problem: string): { key: Buffer } | { problem: string } {
	return encoded !== '' && isBase64(encoded)
		? { key: Buffer.from(encoded, 'base64') }
		: { problem };
}

/** A configured secret read once: its HMAC key bytes, or why it cannot be one. */
function readSecret(
	secret: string,
	encoding: SecretEncoding,
): { key: Buffer } | { problem: string } {
	const trimmed = secret.trim();
	if (trimmed === '') return { problem: 'The signing secret is empty.' };
	const withoutPrefix = trimmed.startsWith(STANDARD_PREFIX)
		? trimmed.slice(STANDARD_PREFIX.length)
		: undefined;
	switch (encoding) {
		case 'text':
			return { key: Buffer.from(trimmed, 'utf8') };
		case 'whsecOrText':
			return withoutPrefix === undefined
				? { key: Buffer.from(trimmed, 'utf8') }
				: base64Key(withoutPrefix, WHSEC_BASE64);
		case 'base64':
			return base64Key(withoutPrefix ?? trimmed, BASE64_SECRET);
		case 'hex':
			return HEX_BYTES.test(trimmed)
				? { key: Buffer.from(trimmed, 'hex') }
				: { problem: HEX_SECRET };
	}
}

/** Why a configured secret cannot be an HMAC key read with `encoding`, or undefined when it can. */
export function secretProblem(secret: string, encoding: SecretEncoding): string | undefined {
	const read = readSecret(secret, encoding);
	return 'problem' in read ? read.problem : undefined;
}

/** Turns a configured secret into HMAC key bytes as `encoding` says. */
export function secretToKey(secret: string, encoding: SecretEncoding): Buffer {
	const read = readSecret(secret, encoding);
	if ('problem' in read) throw new SecretFormatError(read.problem);
	return read.key;
}

/** How many secrets' keys are kept ready: a few per node and process (current and previous). */
const KEPT_KEYS = 64;

const preparedKeys = new Map<string, KeyObject>();

/**
 * The secret's HMAC key, prepared once and reused: decoding the secret and importing its bytes
 * into a key cost several times the HMAC of a small event (Node.js 24), and a busy trigger or a
 * Notify run uses the same few secrets for every request or event.
 */
export function hmacKey(secret: string, encoding: SecretEncoding): KeyObject {
	const cacheKey = `${encoding}:${secret}`;
	let key = preparedKeys.get(cacheKey);
	if (!key) {
		key = createSecretKey(secretToKey(secret, encoding));
		if (preparedKeys.size >= KEPT_KEYS) {
			const [oldest] = preparedKeys.keys();
			preparedKeys.delete(oldest);
		}
		preparedKeys.set(cacheKey, key);
	}
	return key;
}

/** The current secret first, then any previous ones kept during a rotation; blanks are skipped. */
export function activeSecrets(current: string, ...previous: Array<string | undefined>): string[] {
	return [current, ...previous].filter(
		(secret): secret is string => typeof secret === 'string' && secret.trim() !== '',
	);
}
