import { createHash, timingSafeEqual } from 'node:crypto';

import { errorAnswer, type HttpAnswer } from '../http/answers';
import { readHeader, type HeaderBag } from '../http/headers';

export type AccessRule =
	| { kind: 'none' }
	| { kind: 'bearer'; tokens: string[] }
	| { kind: 'header'; headerName: string; tokens: string[] };

const MIN_TOKEN_LENGTH = 16;

// RFC 6750's b64token: what fits in `Authorization: Bearer <token>` and in any header unquoted.
const TOKEN_CHARACTERS = /^[A-Za-z0-9\-._~+/]+=*$/;
const BEARER = /^Bearer +(\S+)$/i;

/** The accepted tokens of a credential: the main one, then any others separated by commas or whitespace. */
export function accessTokens(token: string, additionalTokens = ''): string[] {
	const all = [token, ...additionalTokens.split(/[\s,]+/)]
		.map((value) => value.trim())
		.filter(Boolean);
	return [...new Set(all)];
}

/** Why a list of tokens is unfit, or undefined. Used by the credential test and before serving. */
export function tokensProblem(tokens: string[]): string | undefined {
	if (tokens.length === 0) return 'Enter at least one token.';
	const position = (index: number) => (index === 0 ? 'The token' : `Additional token ${index}`);
	for (const [index, token] of tokens.entries()) {
		if (!TOKEN_CHARACTERS.test(token)) {
			return `${position(index)} may only contain letters, digits and - . _ ~ + / (optionally ending in =).`;
		}
		if (token.length < MIN_TOKEN_LENGTH) {
			return `${position(index)} is too short: use at least ${MIN_TOKEN_LENGTH} characters, ideally 32 random bytes (openssl rand -base64 32).`;
		}
	}
	return undefined;
}

/** The token the request presents under the rule, accepted or not. */
function presentedToken(
	headers: HeaderBag,
	rule: Exclude<AccessRule, { kind: 'none' }>,
): string | undefined {
	if (rule.kind === 'header') return readHeader(headers, rule.headerName);
	const authorization = readHeader(headers, 'authorization');
	return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

/** A 401 answer when the request does not carry an accepted token, otherwise null. */
export function checkAccess(headers: HeaderBag, rule: AccessRule): HttpAnswer | null {
	if (rule.kind === 'none') return null;
	const presented = presentedToken(headers, rule);
	if (presented !== undefined && isAcceptedToken(presented, rule.tokens)) return null;
	if (rule.kind === 'bearer') {
		// RFC 6750 §3.1: no error code when the request carried no credentials at all.
		const carriedCredentials = readHeader(headers, 'authorization') !== undefined;
		const challenge = `Bearer realm="n8n"${carriedCredentials ? ', error="invalid_token"' : ''}`;
		return unauthorized('Send a valid token as "Authorization: Bearer <token>".', challenge);
	}
	return unauthorized(
		`Send a valid token in the ${rule.headerName} header.`,
		`ApiKey header="${rule.headerName}"`,
	);
}

/**
 * Names the accepted token a request presents, without revealing it (a digest prefix), so a rate
 * limit can count per token; undefined when the request presents no accepted token.
 */
export function acceptedTokenKey(headers: HeaderBag, rule: AccessRule): string | undefined {
	if (rule.kind === 'none') return undefined;
	const presented = presentedToken(headers, rule);
	if (presented === undefined || !isAcceptedToken(presented, rule.tokens)) return undefined;
	return sha256(presented).toString('hex').slice(0, 16);
}

/**
 * Compares digests in constant time, so neither the token's length nor the position of the first
 * wrong character shows in the timing; every token is compared, so neither does which one matched.
 */
function isAcceptedToken(presented: string, tokens: string[]): boolean {
	const presentedDigest = sha256(presented);
	let accepted = false;
	for (const token of tokens) {
		accepted = timingSafeEqual(presentedDigest, sha256(token)) || accepted;
	}
	return accepted;
}

function sha256(text: string): Buffer {
	return createHash('sha256').update(text, 'utf8').digest();
}

function unauthorized(message: string, challenge: string): HttpAnswer {
	return errorAnswer(401, 'unauthorized', message, { 'WWW-Authenticate': challenge });
}
