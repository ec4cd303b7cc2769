import type { EventFilter } from '../events/patterns';
import { isAccepted } from '../events/patterns';
import { normalizeEvent, type NormalizedEvent, type NormalizeOptions } from '../events/normalize';
import { errorAnswer, type HttpAnswer } from '../http/answers';
import { parseBody } from '../http/body';
import { readFirstHeader, readHeader, type HeaderBag } from '../http/headers';
import { verifyWebhook } from '../signing/verify';
import { signsUrl } from '../signing/profile';
import { profileOf, type SignatureScheme } from '../signing/schemes';
import { claim, firstUseOfNonce, settle, type DedupOptions, type IdLedger } from '../store/dedup';
import { eventKey } from '../store/eventKeys';

import { reachabilityCheckAnswer, signedBodyHandshake } from './handshake';

export interface IngestRequest {
	headers: HeaderBag;
	/** The exact bytes received. */
	rawBody: Buffer;
	/** The URL the sender called (the node's Public URL, else the one received), for schemes that sign it. */
	url?: string;
	method?: string;
}

export interface IngestConfig {
	/** Null when verification is switched off. */
	verification: { scheme: SignatureScheme; secrets: string[]; toleranceSeconds: number } | null;
	maxBodyBytes: number;
	normalize: NormalizeOptions;
	filter: EventFilter;
	/** Null when duplicate detection is switched off. */
	dedup: DedupOptions | null;
}

export interface IngestContext {
	/** Unix seconds. */
	now: number;
	/** Event ids with a stored or storing run, to check; an accepted id is claimed in it. */
	ledger: IdLedger;
	newId: () => string;
}

/** One event of an accepted request: a JSON body holds one, a JSON array one per element. */
export interface AcceptedEvent {
	event: NormalizedEvent & { id: string };
	/**
	 * The key (`eventKey`) the event's id is claimed under in the ledger, when it is: the sender's
	 * own id, with duplicate detection on. Kept so that settling and saving need not hash it again.
	 */
	claimedKey?: string;
	body: unknown;
}

export type IngestOutcome =
	| { kind: 'rejected'; answer: HttpAnswer }
	| { kind: 'ignored' | 'duplicate' | 'in_flight'; answer: HttpAnswer; event: NormalizedEvent }
	| { kind: 'accepted'; answer: HttpAnswer; events: AcceptedEvent[] }
	/** The sender checking the endpoint (its profile's `handshake`): answered as it requires, no run. */
	| { kind: 'handshake'; answer: HttpAnswer };

function rejected(status: number, error: string, message: string): IngestOutcome {
	return { kind: 'rejected', answer: errorAnswer(status, error, message) };
}

/** The request's events, or why it holds none: a body is one event, an array one per element. */
function readEvents(
	body: unknown,
	request: IngestRequest,
	config: IngestConfig,
	signedId: string | undefined,
): { events: Array<{ event: NormalizedEvent; body: unknown }> } | { refused: IngestOutcome } {
	const options = config.normalize;
	const type = readFirstHeader(request.headers, options.typeHeaders);
	const requestId = signedId ?? readFirstHeader(request.headers, options.idHeaders);
	const batch = Array.isArray(body);
	const elements: unknown[] = batch ? body : [body];
	if (batch && elements.length === 0) {
		return { refused: rejected(422, 'invalid_event', 'The body is an empty JSON array.') };
	}
	const events: Array<{ event: NormalizedEvent; body: unknown }> = [];
	for (const [index, element] of elements.entries()) {
		// One event: the request's id (signed, or from a header) names it. A batch: each element's
		// own id does, else the request's id with the element's position.
		const normalized = normalizeEvent(element, options, {
			type,
			id: batch ? undefined : requestId,
		});
		if (normalized.kind === 'invalid') {
			const { message, fields } = normalized;
			const answer = batch
				? {
						message: `Element ${index}: ${message}`,
						fields: fields.map((field) =>
							field === 'body' ? `[${index}]` : `[${index}].${field}`,
						),
					}
				: { message, fields };
			return {
				refused: {
					kind: 'rejected',
					answer: { status: 422, body: { error: 'invalid_event', ...answer } },
				},
			};
		}
		const { event } = normalized;
		const id = batch && event.id === undefined && requestId ? `${requestId}:${index}` : event.id;
		events.push({ event: { ...event, id }, body: element });
	}
	return { events };
}

/**
 * Decides what happens to one incoming request, cheapest checks first, and verifying the signature
 * before the body is even parsed. Never throws on request input.
 */
export function handleIngest(
	request: IngestRequest,
	config: IngestConfig,
	context: IngestContext,
): IngestOutcome {
	if (request.rawBody.length > config.maxBodyBytes) {
		return rejected(
			413,
			'payload_too_large',
			`The body is larger than ${config.maxBodyBytes} bytes.`,
		);
	}
	let signedId: string | undefined;
	let signedNonce: string | undefined;
	const profile = config.verification && profileOf(config.verification.scheme);
	if (config.verification && profile) {
		const check = reachabilityCheckAnswer(profile, request.headers, request.rawBody);
		if (check) return { kind: 'handshake', answer: check };
		if (request.url === undefined && signsUrl(profile)) {
			return rejected(
				500,
				'misconfigured',
				'The receiver does not know the URL this request was sent to, which the signature covers.',
			);
		}
		const verified = verifyWebhook({
			scheme: config.verification.scheme,
			secrets: config.verification.secrets,
			toleranceSeconds: config.verification.toleranceSeconds,
			headers: request.headers,
			body: request.rawBody,
			now: context.now,
			url: request.url,
			method: request.method,
		});
		if (!verified.ok) return rejected(401, verified.reason, verified.message);
		signedId = verified.id;
		signedNonce = verified.nonce;
	}
	const parsed = parseBody(
		request.rawBody,
		readHeader(request.headers, 'content-type'),
		profile ? profile.jsonFormField : undefined,
	);
	if (parsed.kind === 'unsupported_type') {
		return rejected(
			400,
			'invalid_json',
			'The body must be JSON (Content-Type application/json or application/*+json) or a form (application/x-www-form-urlencoded).',
		);
	}
	if (parsed.kind === 'invalid_json')
		return rejected(400, 'invalid_json', 'The body is not valid JSON.');
	// Only a verified request can be the sender's handshake: a forged one was refused above.
	const handshake =
		config.verification &&
		profile &&
		signedBodyHandshake(profile, parsed.value, config.verification.secrets, request.headers);
	if (handshake) return { kind: 'handshake', answer: handshake };
	const read = readEvents(parsed.value, request, config, signedId);
	if ('refused' in read) return read.refused;
	// A sender that signs a nonce but not the body (Mailgun) is replayed by reusing its signature
	// with any body, whose event ids then differ: the nonce, not the id, tells the replay. Dropped
	// whether or not duplicate detection is on, as the signature's own check.
	if (
		signedNonce !== undefined &&
		config.verification &&
		!firstUseOfNonce(context.ledger, signedNonce, context.now, config.verification.toleranceSeconds)
	) {
		return { kind: 'duplicate', answer: DUPLICATE_ANSWER, event: read.events[0].event };
	}
	return admit(read.events, config, context);
}

const DUPLICATE_ANSWER: HttpAnswer = { status: 200, body: { received: true, duplicate: true } };

/** Drops filtered-out and duplicate events, claims the others' ids, and answers for the request. */
function admit(
	events: Array<{ event: NormalizedEvent; body: unknown }>,
	config: IngestConfig,
	context: IngestContext,
): IngestOutcome {
	const accepted: AcceptedEvent[] = [];
	let skipped: { kind: 'ignored' | 'duplicate'; event: NormalizedEvent } | undefined;
	for (const { event, body } of events) {
		if (!isAccepted(event.event, config.filter)) {
			skipped ??= { kind: 'ignored', event };
			continue;
		}
		const { dedup } = config;
		const key = dedup && event.id !== undefined ? eventKey(event.id) : undefined;
		const claimed = dedup && key ? claim(context.ledger, key, context.now, dedup) : undefined;
		if (claimed === 'duplicate') {
			if (skipped?.kind !== 'duplicate') skipped = { kind: 'duplicate', event };
			continue;
		}
		if (claimed === 'in_flight') {
			releaseClaims(accepted, config, context);
			// Not a 2xx: the run being stored may still fail, and then this delivery must come back.
			return {
				kind: 'in_flight',
				answer: errorAnswer(
					409,
					'delivery_in_progress',
					'A delivery of this event is being stored right now; send it again shortly.',
					{ 'Retry-After': '1' },
				),
				event,
			};
		}
		const id = event.id ?? context.newId();
		accepted.push({
			event: { ...event, id },
			claimedKey: claimed === 'claimed' ? key : undefined,
			body,
		});
	}
	if (accepted.length === 0 && skipped?.kind === 'duplicate') {
		return {
			kind: 'duplicate',
			answer: DUPLICATE_ANSWER,
			event: skipped.event,
		};
	}
	if (accepted.length === 0 && skipped) {
		return {
			kind: 'ignored',
			answer: { status: 200, body: { received: true, ignored: true } },
			event: skipped.event,
		};
	}
	const ids = accepted.map(({ event }) => event.id);
	const body = events.length === 1 ? { received: true, id: ids[0] } : { received: true, ids };
	return { kind: 'accepted', answer: { status: 202, body }, events: accepted };
}

/** Gives back the ids this request claimed: it starts no run after all. */
function releaseClaims(accepted: AcceptedEvent[], config: IngestConfig, context: IngestContext) {
	for (const { claimedKey } of accepted) {
		if (claimedKey && config.dedup)
			settle(context.ledger, claimedKey, false, context.now, config.dedup);
	}
}
