import type { EventFilter } from '../events/patterns';
import { isAccepted } from '../events/patterns';
import { normalizeEvent, type NormalizedEvent, type NormalizeOptions } from '../events/normalize';
import { errorAnswer, type HttpAnswer } from '../http/answers';
import { isJsonContentType, parseJson } from '../http/json';
import { readHeader, verifyWebhook, type HeaderBag, type SignatureScheme } from '../signing';
import { checkAndRemember, type DedupOptions, type SeenIds } from '../store/dedup';

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
	/** Accepted ids to check and update. */
	seen: SeenIds;
	newId: () => string;
}

export type IngestOutcome =
	| { kind: 'rejected'; answer: HttpAnswer }
	| { kind: 'ignored' | 'duplicate'; answer: HttpAnswer; event: NormalizedEvent }
	| {
			kind: 'accepted';
			answer: HttpAnswer;
			event: NormalizedEvent & { id: string };
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
	if (!normalized.ok) {
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
	if (
		config.dedup &&
		event.id !== undefined &&
		checkAndRemember(context.seen, event.id, context.now, config.dedup)
	) {
		return {
			kind: 'duplicate',
			answer: { status: 200, body: { received: true, duplicate: true } },
			event,
		};
	}
	const id = event.id ?? context.newId();
	return {
		kind: 'accepted',
		answer: { status: 202, body: { received: true, id } },
		event: { ...event, id },
		body: parsed.value,
	};
}
