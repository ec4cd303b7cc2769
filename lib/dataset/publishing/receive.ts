import { errorAnswer, type HttpAnswer } from '../../http/answers';
import { DEFAULT_TOLERANCE_SECONDS } from '../../signing/schemes';
import { readHeader, type HeaderBag } from '../../http/headers';
import { verifyWebhook } from '../../signing/verify';
import { fromStored, remember, toStored, wasSeen, type StoredIds } from '../../store/dedup';
import {
	publishDataset,
	publishSettingsProblem,
	type JsonObject,
	type PublishedDataset,
	type PublishMode,
	type PublishSettings,
	tooDeepMessage,
	tooLargeMessage,
} from '../publish';

import {
	DATASET_TOO_LARGE,
	PUBLISH_KEY_CHANGED,
	PUBLISH_KEY_ID_HEADER,
	PUBLISH_SIGNATURE_SCHEME,
	publishKeyId,
	receiptOf,
	type PublishRequest,
} from './protocol';

/** What the webhook keeps besides the dataset. */
export interface PublishLedger {
	/** Ids of recent publish requests, stored as `lib/store/dedup` persists ids. */
	recent: StoredIds;
}

/** What a publish request did; only `published` changes what is stored. */
export type ReceivedPublish =
	/** 401: not signed with the node's current key within the last five minutes. */
	| { kind: 'unverified'; answer: HttpAnswer }
	/** Signed, but the request or its data cannot be published (400, 413). */
	| { kind: 'refused'; answer: HttpAnswer }
	/** Answered with a receipt; `repeated` for a publish id accepted before. */
	| { kind: 'repeated' | 'unchanged'; answer: HttpAnswer }
	| { kind: 'published'; answer: HttpAnswer; dataset: PublishedDataset; ledger: PublishLedger };

/** Remembered publish ids answer retries and replays without publishing twice. */
const REMEMBERED_PUBLISHES = { retentionSeconds: DEFAULT_TOLERANCE_SECONDS * 2, maxEntries: 200 };

const MODES: readonly PublishMode[] = ['append', 'replace', 'singleObject'];

const KEY_CHANGED_MESSAGE =
	"This publish was signed with another publish key than the node's: its credential changed while the run was publishing. Nothing was published; run it again.";

/**
 * Decides what a publish request does to the stored dataset, cheapest checks first. Only a
 * request signed with the node's key within the last five minutes gets further than 401. Never
 * throws on request input.
 */
export function receivePublish(
	received: { headers: HeaderBag; rawBody: Buffer },
	secret: string,
	stored: { dataset?: PublishedDataset; ledger?: PublishLedger },
	now: Date,
): ReceivedPublish {
	const keyId = readHeader(received.headers, PUBLISH_KEY_ID_HEADER);
	// Checked before the signature: a key that changed needs no digest of the body to tell.
	if (keyId !== undefined && keyId !== publishKeyId(secret)) {
		return unverified(errorAnswer(401, PUBLISH_KEY_CHANGED, KEY_CHANGED_MESSAGE));
	}
	const verified = verifyWebhook({
		scheme: PUBLISH_SIGNATURE_SCHEME,
		headers: received.headers,
		body: received.rawBody,
		secrets: [secret],
		now: Math.floor(now.getTime() / 1000),
	});
	if (!verified.ok) return unverified(errorAnswer(401, verified.reason, verified.message));
	const request = parsePublishRequest(received.rawBody);
	if ('status' in request) return { kind: 'refused', answer: request };
	return applyPublish(stored, verified.id ?? '', request, now);
}

function unverified(answer: HttpAnswer): ReceivedPublish {
	return { kind: 'unverified', answer };
}

/** The request, or a 400 answer naming what is wrong with it. */
function parsePublishRequest(rawBody: Buffer): PublishRequest | HttpAnswer {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return invalidRequest('The body is not JSON.');
	}
	const { items, settings } = (parsed ?? {}) as Partial<PublishRequest>;
	if (!Array.isArray(items) || !items.every(isJsonObject))
		return invalidRequest('"items" must be a list of objects.');
	if (!isSettings(settings)) return invalidRequest('"settings" is missing or malformed.');
	const problem = publishSettingsProblem(settings);
	if (problem) return invalidRequest(problem);
	return { items, settings };
}

function invalidRequest(message: string): HttpAnswer {
	return errorAnswer(400, 'invalid_publish_request', message);
}

function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSettings(value: unknown): value is PublishSettings {
	const candidate = value as Partial<PublishSettings> | undefined;
	return (
		isJsonObject(candidate) &&
		MODES.includes(candidate.mode as PublishMode) &&
		typeof candidate.keepNewest === 'number' &&
		typeof candidate.maxBytes === 'number'
	);
}

/**
 * Applies a verified publish to the stored dataset. A publish id accepted before is answered with
 * what is stored now and changes nothing; data over the size limit is refused with 413 and the
 * stored dataset stays as it is.
 */
function applyPublish(
	stored: { dataset?: PublishedDataset; ledger?: PublishLedger },
	publishId: string,
	request: PublishRequest,
	now: Date,
): ReceivedPublish {
	const { dataset } = stored;
	const seen = fromStored(stored.ledger?.recent);
	const nowSeconds = Math.floor(now.getTime() / 1000);
	if (wasSeen(seen, publishId, nowSeconds, REMEMBERED_PUBLISHES)) {
		const bytes = dataset ? Buffer.byteLength(dataset.json) : 0;
		const receipt = { ...receiptOf('unchanged', dataset, bytes), repeated: true };
		return { kind: 'repeated', answer: { status: 200, body: receipt } };
	}
	const outcome = publishDataset(dataset, request.items, request.settings, now);
	if (outcome.kind === 'tooDeep') {
		const answer = errorAnswer(400, 'too_deeply_nested', tooDeepMessage(outcome.maxDepth));
		return { kind: 'refused', answer };
	}
	if (outcome.kind === 'tooLarge') {
		const { bytes, maxBytes } = outcome;
		const refusal = errorAnswer(413, DATASET_TOO_LARGE, tooLargeMessage(bytes, maxBytes));
		const body = { ...(refusal.body as object), bytes, maxBytes, version: dataset?.version ?? 0 };
		return { kind: 'refused', answer: { ...refusal, body } };
	}
	const answer = { status: 200, body: receiptOf(outcome.kind, outcome.dataset, outcome.bytes) };
	// An unchanged publish stores nothing: applied again, it is unchanged again.
	if (outcome.kind === 'unchanged') return { kind: 'unchanged', answer };
	remember(seen, publishId, nowSeconds, REMEMBERED_PUBLISHES);
	const ledger = { recent: toStored(seen) };
	return { kind: 'published', answer, dataset: outcome.dataset, ledger };
}
