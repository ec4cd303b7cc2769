import { isBase64 } from './encoding';

/** The Standard Webhooks secret prefix: what follows it is base64. */
export const STANDARD_PREFIX = 'whsec_';

export class SecretFormatError extends Error {}

/** A configured secret read once: its HMAC key bytes, or why it cannot be one. */
function readSecret(secret: string): { key: Buffer } | { problem: string } {
	const trimmed = secret.trim();
	if (trimmed === '') return { problem: 'The signing secret is empty.' };
	if (!trimmed.startsWith(STANDARD_PREFIX)) return { key: Buffer.from(trimmed, 'utf8') };
	const encoded = trimmed.slice(STANDARD_PREFIX.length);
	if (encoded === '' || !isBase64(encoded)) {
		return {
			problem:
				'A secret starting with "whsec_" must continue with valid base64 (for example "whsec_" followed by the output of `openssl rand -base64 32`).',
		};
	}
	return { key: Buffer.from(encoded, 'base64') };
}

/** Why a configured secret cannot be an HMAC key, or undefined when it can. */
export function secretProblem(secret: string): string | undefined {
	const read = readSecret(secret);
	return 'problem' in read ? read.problem : undefined;
}

/**
 * Turns a configured secret into HMAC key bytes: `whsec_<base64>` is decoded
 * (as the Standard Webhooks libraries do), anything else is used as UTF-8.
 */
export function secretToKey(secret: string): Buffer {
	const read = readSecret(secret);
	if ('problem' in read) throw new SecretFormatError(read.problem);
	return read.key;
}

/** The current secret first, then any previous ones kept during a rotation; blanks are skipped. */
export function activeSecrets(current: string, ...previous: Array<string | undefined>): string[] {
	return [current, ...previous].filter(
		(secret): secret is string => typeof secret === 'string' && secret.trim() !== '',
	);
}
