import { errorAnswer, type HttpAnswer } from '../http/answers';
import { signWebhook } from '../signing/sign';
import { verifyWebhook } from '../signing/verify';
import type { HeaderBag } from '../http/headers';

import type { SeenIds } from './dedup';
import { fromPersisted, packKeys } from './eventKeys';

/**
 * n8n does not save the static data a trigger writes in a request whose answer n8n defers until
 * the run is stored, so a process hands the ids it stored to the node's own webhook instead: a
 * request that starts no run, whose static data n8n saves before answering.
 */
const SCHEME = { kind: 'standardWebhooks' } as const;

export function signedPersistRequest(
	keys: SeenIds,
	secret: string,
	messageId: string,
	now: number,
): { body: string; headers: Record<string, string> } {
	const body = JSON.stringify({ keys: packKeys(keys) });
	const signature = signWebhook({ scheme: SCHEME, secret, body, id: messageId, timestamp: now });
	return { body, headers: { 'content-type': 'application/json', ...signature } };
}

/**
 * What a persist request carries: the keys of its ids (`eventKey`), or the answer to refuse it
 * with, told apart by whether it proved to be signed by a process of this installation
 * (`unverified` when it did not).
 */
export type PersistReceipt =
	| { kind: 'keys'; keys: SeenIds }
	| { kind: 'unverified'; answer: HttpAnswer }
	| { kind: 'invalid_body'; answer: HttpAnswer };

/** Reads a persist request, checking its signature against `secrets` before its body. */
export function receivePersist(
	received: { headers: HeaderBag; rawBody: Buffer },
	secrets: string[],
	now: number,
): PersistReceipt {
	const verified = verifyWebhook({
		scheme: SCHEME,
		headers: received.headers,
		body: received.rawBody,
		secrets,
		now,
	});
	if (!verified.ok)
		return { kind: 'unverified', answer: errorAnswer(401, verified.reason, verified.message) };
	let parsed: unknown;
	try {
		parsed = JSON.parse(received.rawBody.toString('utf8'));
	} catch {
		parsed = undefined;
	}
	const keys = fromPersisted(parsed);
	if (!keys) {
		return {
			kind: 'invalid_body',
			answer: errorAnswer(400, 'invalid_request', 'The body must be {"keys": "<packed keys>"}.'),
		};
	}
	return { kind: 'keys', keys };
}
