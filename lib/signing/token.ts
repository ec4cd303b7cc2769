import { createHash, timingSafeEqual } from 'node:crypto';

import { readHeader, type HeaderBag } from '../http/headers';
import type { TokenScheme } from './schemes';

const BEARER = /^bearer\s+/i;

const isAuthorization = (scheme: TokenScheme) => scheme.header.toLowerCase() === 'authorization';

/** The header value that carries `secret` under a token scheme: a bearer token in Authorization. */
export function tokenHeaderValue(scheme: TokenScheme, secret: string): string {
	return isAuthorization(scheme) ? `Bearer ${secret.trim()}` : secret.trim();
}

// Hashing first makes the comparison constant time whatever the lengths.
const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export type TokenCheck =
	| { ok: true }
	| { ok: false; reason: 'missing_signature' | 'signature_mismatch'; message: string };

/** Whether the request's token header holds one of the secrets, compared in constant time. */
export function checkToken(scheme: TokenScheme, headers: HeaderBag, secrets: string[]): TokenCheck {
	const sent = readHeader(headers, scheme.header);
	if (sent === undefined) {
		return {
			ok: false,
			reason: 'missing_signature',
			message: `The ${scheme.header} header is missing.`,
		};
	}
	const token = digestOf(isAuthorization(scheme) ? sent.replace(BEARER, '') : sent);
	let matched = false;
	for (const secret of secrets) {
		if (timingSafeEqual(token, digestOf(secret.trim()))) matched = true;
	}
	return matched
		? { ok: true }
		: {
				ok: false,
				reason: 'signature_mismatch',
				message: `The ${scheme.header} header does not hold the shared token.`,
			};
}
