import type { EventFilter } from '../events/patterns';
import { isAccepted } from '../events/patterns';
import { normalizeEvent, type NormalizedEvent, type NormalizeOptions } from '../events/normalize';
import { errorAnswer, type HttpAnswer } from '../http/answers';
import { isJsonContentType, parseJson } from '../http/json';
import { readHeader, type HeaderBag } from '../http/headers';
import { verifyWebhook } from '../signing/verify';
import type { SignatureScheme } from '../signing/schemes';
import { claim, type DedupOptions, type IdLedger } from '../store/dedup';

export interface IngestRequest {
	headers: HeaderBag;
	/** The exact bytes received. */
	rawBody: Buffer;
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

export type IngestOutcome =
	| { kind: 'rejected'; answer: HttpAnswer }
	| { kind: 'ignored' | 'duplicate' | 'in_flight'; answer: HttpAnswer; event: NormalizedEvent }
	| {
			kind: 'accepted';
			answer: HttpAnswer;
			event: NormalizedEvent & { id: string };
			/** The id is claimed in the ledger (the sender's own id, with duplicate detection on). */
			claimed: boolean;
			body: unknown;
	  };

function rejected(status: number, error: string, message: string): IngestOutcome {
	return { kind: 'rejected', answer: errorAnswer(status, error, message) };
}

/**
 * Decides what happens to one incoming event, cheapest checks first, and verifying the signature
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
	if (config.verification) {
		const verified = verifyWebhook({
			scheme: config.verification.scheme,
			secrets: config.verification.secrets,
			toleranceSeconds: config.verification.toleranceSeconds,
			headers: request.headers,
			body: request.rawBody,
			now: context.now,
		});
		if (!verified.ok) return rejected(401, verified.reason, verified.message);
		signedId = verified.id;
	}
	if (!isJsonContentType(readHeader(request.headers, 'content-type'))) {
		return rejected(
			400,
			'invalid_json',
			'The body must be JSON (Content-Type application/json or application/*+json).',
		);
	}
	const parsed = parseJson(request.rawBody);
	if (!parsed.ok) return rejected(400, 'invalid_json', 'The body is not valid JSON.');
	const normalized = normalizeEvent(parsed.value, config.normalize);
	if (normalized.kind === 'invalid') {
		return {
			kind: 'rejected',
			answer: {
				status: 422,
				body: { error: 'invalid_event', message: normalized.message, fields: normalized.fields },
			},
		};
	}
	const event = { ...normalized.event, id: signedId ?? normalized.event.id };
	if (!isAccepted(event.event, config.filter)) {
		return {
			kind: 'ignored',
			answer: { status: 200, body: { received: true, ignored: true } },
			event,
		};
	}
	const claimed =
		config.dedup && event.id !== undefined
			? claim(context.ledger, event.id, context.now, config.dedup)
			: undefined;
	if (claimed === 'duplicate') {
		return {
			kind: 'duplicate',
			answer: { status: 200, body: { received: true, duplicate: true } },
			event,
		};
	}
	if (claimed === 'in_flight') {
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
	return {
		kind: 'accepted',
		answer: { status: 202, body: { received: true, id } },
		event: { ...event, id },
		claimed: claimed === 'claimed',
		body: parsed.value,
	};
}
