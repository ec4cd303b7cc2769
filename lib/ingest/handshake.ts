import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { readPath } from '../events/normalize';
import { errorAnswer, type HttpAnswer } from '../http/answers';
import { isFormType } from '../http/body';
import { readHeader, type HeaderBag } from '../http/headers';
import type { Handshake, HandshakeValue, SenderProfile } from '../signing/profile';
import { hmacKey } from '../signing/secrets';

/** What a handshake request gets: its answer (it starts no run either way). */
export type HandshakeOutcome =
	| { kind: 'handshake'; answer: HttpAnswer }
	| { kind: 'rejected'; answer: HttpAnswer };

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Marks a reply that cannot be built: the body is then no handshake. */
const UNBUILT = Symbol('unbuilt');

/**
 * One value of the reply. An HMAC is keyed with the credential's current secret (the first), as
 * the sender keys it once the user has pasted its newest secret there; it needs text to hash.
 */
function replyValue(
	value: HandshakeValue,
	body: Record<string, unknown>,
	profile: SenderProfile,
	secrets: string[],
): unknown {
	if ('literal' in value) return value.literal;
	const field = readPath(body, 'fromField' in value ? value.fromField : value.hmacOfField);
	if ('fromField' in value) return field;
	if (profile.kind !== 'hmac' || typeof field !== 'string' || secrets.length === 0) return UNBUILT;
	return createHmac(profile.algorithm, hmacKey(secrets[0], profile.secretEncoding))
		.update(field, 'utf8')
		.digest(value.encoding);
}

/**
 * The answer to a verified request whose body is the sender's handshake (Slack's
 * `url_verification`, Discord's PING, Zoom's `endpoint.url_validation`), or undefined when the
 * body is an event. Only call it once the signature was checked with `secrets`: the handshake is
 * answered as genuine.
 */
export function signedBodyHandshake(
	profile: SenderProfile,
	body: unknown,
	secrets: string[],
	headers: HeaderBag = {},
): HttpAnswer | undefined {
	const { handshake } = profile;
	if (handshake?.kind !== 'signedBody' || !isRecord(body)) return undefined;
	if (!marksHandshake(handshake, body, headers)) return undefined;
	const reply = Object.entries(handshake.reply).map(([name, value]) => [
		name,
		replyValue(value, body, profile, secrets),
	]);
	if (reply.some(([, value]) => value === UNBUILT)) return undefined;
	if (handshake.replyAs === 'text') return textReply(reply[0]?.[1]);
	return { status: 200, body: Object.fromEntries(reply) };
}

/**
 * The answer to the sender's unsigned reachability check (Slack's `ssl_check=1`), or undefined when
 * the request is none. Asked before verification, so the answer is a bare 200 that reveals nothing
 * and starts nothing: a forged check gains no more than a genuine one.
 */
export function reachabilityCheckAnswer(
	profile: SenderProfile,
	headers: HeaderBag,
	rawBody: Buffer,
): HttpAnswer | undefined {
	const check = profile.reachabilityCheck;
	if (!check || !isFormType(readHeader(headers, 'content-type'))) return undefined;
	const sent = new URLSearchParams(rawBody.toString('utf8')).getAll(check.field);
	return sent.length === 1 && sent[0] === check.equals ? { status: 200 } : undefined;
}

/** Whether the request's body field (or header) says it is the handshake rather than an event. */
function marksHandshake(
	handshake: Extract<Handshake, { kind: 'signedBody' }>,
	body: Record<string, unknown>,
	headers: HeaderBag,
): boolean {
	const { field, equals } = handshake;
	if (handshake.fieldIn === 'header') return readHeader(headers, field) === String(equals);
	return Object.hasOwn(body, field) && body[field] === equals;
}

/** A reply of one value as text; none when the body lacks it (the request is then no handshake). */
function textReply(value: unknown): HttpAnswer | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	return {
		status: 200,
		body: String(value),
		headers: { 'Content-Type': 'text/plain; charset=utf-8' },
	};
}

// Hashing first makes the comparison constant time whatever the lengths.
const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether `sent` is `expected`, in constant time; an empty expected token matches nothing. */
function sameToken(sent: string, expected: string): boolean {
	return expected !== '' && timingSafeEqual(digestOf(sent), digestOf(expected));
}

const refused = (message: string): HandshakeOutcome => ({
	kind: 'rejected',
	answer: errorAnswer(403, 'verify_token_mismatch', message),
});

/**
 * Answers a sender's GET verification request (Meta's `hub.challenge`) from its query string:
 * the challenge as text when the mode is the expected one and the token is the Verify Token the
 * user entered, a 403 otherwise. Cheapest checks first; never throws.
 */
export function verifyTokenHandshake(
	handshake: Extract<Handshake, { kind: 'verifyToken' }>,
	query: string,
	verifyToken: string,
): HandshakeOutcome {
	const parameters = new URLSearchParams(query);
	const challenge = parameters.get(handshake.challengeParameter);
	if (parameters.get(handshake.mode.parameter) !== handshake.mode.equals || challenge === null) {
		return refused(
			`This URL answers only the sender's verification request: ${handshake.mode.parameter}=${handshake.mode.equals} with ${handshake.tokenParameter} and ${handshake.challengeParameter}.`,
		);
	}
	const token = parameters.get(handshake.tokenParameter) ?? '';
	if (!sameToken(token, verifyToken.trim())) {
		return refused(
			`The ${handshake.tokenParameter} is not the Verify Token set in the receiving workflow.`,
		);
	}
	return {
		kind: 'handshake',
		answer: {
			status: 200,
			body: challenge,
			headers: { 'Content-Type': 'text/plain; charset=utf-8' },
		},
	};
}
