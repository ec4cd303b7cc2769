import { isBase64 } from './encoding';

/** The Standard Webhooks secret prefix: what follows it is base64. */
export const STANDARD_PREFIX = 'whsec_';

export class SecretFormatError extends Error {}

/** Why a configured secret cannot be an HMAC key, or undefined when it can. */
export function secretProblem(secret: string): string | undefined {
	const trimmed = secret.trim();
	if (trimmed === '') return 'The signing secret is empty.';
	if (!trimmed.startsWith(STANDARD_PREFIX)) return undefined;
	const encoded = trimmed.slice(STANDARD_PREFIX.length);
	return encoded === '' || !isBase64(encoded)
		? 'A secret starting with "whsec_" must continue with valid base64 (for example "whsec_" followed by the output of `openssl rand -base64 32`).'
		: undefined;
}

/**
 * Turns a configured secret into HMAC key bytes: `whsec_<base64>` is decoded
 * (as the Standard Webhooks libraries do), anything else is used as UTF-8.
 */
export function secretToKey(secret: string): Buffer {
	const problem = secretProblem(secret);
	if (problem) throw new SecretFormatError(problem);
	const trimmed = secret.trim();
	return trimmed.startsWith(STANDARD_PREFIX)
		? Buffer.from(trimmed.slice(STANDARD_PREFIX.length), 'base64')
		: Buffer.from(trimmed, 'utf8');
}

/** The current secret first, then any previous ones kept during a rotation; blanks are skipped. */
export function activeSecrets(current: string, ...previous: Array<string | undefined>): string[] {
	return [current, ...previous].filter(
		(secret): secret is string => typeof secret === 'string' && secret.trim() !== '',
	);
}
