import { createHash, timingSafeEqual } from 'node:crypto';

import { readHeader, type HeaderBag } from '../http/headers';
import type { TokenProfile } from './profile';

const BEARER = /^bearer\s+/i;

const isAuthorization = (profile: TokenProfile) => profile.header.toLowerCase() === 'authorization';

/** The header value that carries `secret` under a token scheme: a bearer token in Authorization. */
export function tokenHeaderValue(profile: TokenProfile, secret: string): string {
	return isAuthorization(profile) ? `Bearer ${secret.trim()}` : secret.trim();
}

// Hashing first makes the comparison constant time whatever the lengths.
const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export type TokenCheck =
	| { ok: true }
	| { ok: false; reason: 'missing_signature' | 'signature_mismatch'; message: string };

/** Whether the request's token header holds one of the secrets, compared in constant time. */
export function checkToken(
	profile: TokenProfile,
	headers: HeaderBag,
	secrets: string[],
): TokenCheck {
	const sent = readHeader(headers, profile.header);
	if (sent === undefined) {
		return {
			ok: false,
			reason: 'missing_signature',
			message: `The ${profile.header} header is missing.`,
		};
	}
	const token = digestOf(isAuthorization(profile) ? sent.replace(BEARER, '') : sent);
	let matched = false;
	for (const secret of secrets) {
		if (timingSafeEqual(token, digestOf(secret.trim()))) matched = true;
	}
	return matched
		? { ok: true }
		: {
				ok: false,
				reason: 'signature_mismatch',
				message: `The ${profile.header} header does not hold the shared token.`,
			};
}
