import { errorAnswer, type HttpAnswer } from '../../http/answers';
import { DEFAULT_TOLERANCE_SECONDS } from '../../signing/schemes';
import { readHeader, type HeaderBag } from '../../http/headers';
import { verifyWebhook } from '../../signing/verify';
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

/** Publish ids with the times they were signed at, as a flat list: `[id, signedAt, id, signedAt, …]`. */
type IdList = Array<string | number>;

/** What the webhook keeps besides the dataset: which publishes it accepted while they could be replayed. */
export interface PublishLedger {
	/**
	 * Every publish accepted within the replay window, whatever its outcome, as `[id, signed at, …]`
	 * (seconds), oldest first.
	 */
	recent: IdList;
	/**
	 * Publishes signed at or before this time are refused: one of them was forgotten while it could
	 * still be replayed, to keep the ledger bounded.
	 */
	forgottenUpTo?: number;
}

/** What a publish request did; only `published` changes what is stored. */
export type ReceivedPublish =
	/** 401: not signed with the node's current key within the last five minutes. */
	| { kind: 'unverified'; answer: HttpAnswer }
	/** Signed, but the request or its data cannot be published (400, 413), or it is too old (409). */
	| { kind: 'refused'; answer: HttpAnswer }
	/** A publish id accepted before (a retry or a replay): answered with what is stored, nothing stored. */
	| { kind: 'repeated'; answer: HttpAnswer }
	/** Accepted without changing the dataset: only the ledger is stored, so it cannot be replayed. */
	| { kind: 'unchanged'; answer: HttpAnswer; ledger: PublishLedger }
	| { kind: 'published'; answer: HttpAnswer; dataset: PublishedDataset; ledger: PublishLedger };

/**
 * How long an accepted publish is remembered, counted from its signature's time: its signature is
 * accepted up to the tolerance either side of the receiver's clock; twice that allows for webhook
 * processes whose clocks differ.
 */
const REMEMBERED_SECONDS = DEFAULT_TOLERANCE_SECONDS * 2;
/** A bound on the ledger (about 50 bytes each in the static data); past it `forgottenUpTo` rises. */
export const MAX_REMEMBERED_PUBLISHES = 5000;

/** The refusal of a signed publish older than one the ledger had to forget. */
export const PUBLISH_TOO_OLD = 'publish_too_old';
const TOO_OLD_MESSAGE =
	'This publish was signed before others that this node has since accepted and no longer remembers one by one, so it could be a replay that would replace newer data. Nothing was published; run it again.';

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
	const nowSeconds = Math.floor(now.getTime() / 1000);
	const signed = { id: verified.id ?? '', at: verified.timestamp ?? nowSeconds };
	return applyPublish(stored, signed, request, now);
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
 * what is stored now and changes nothing; so is one signed no later than a publish the ledger
 * forgot, refused with 409; data over the size limit is refused with 413 and the stored dataset
 * stays as it is. Every other publish is remembered, also when it changes nothing: replayed
 * after a later publish, it would otherwise bring back what that one replaced.
 */
function applyPublish(
	stored: { dataset?: PublishedDataset; ledger?: PublishLedger },
	signed: { id: string; at: number },
	request: PublishRequest,
	now: Date,
): ReceivedPublish {
	const { dataset } = stored;
	const remembered = openLedger(stored.ledger, Math.floor(now.getTime() / 1000));
	if (remembered.signedAt.has(signed.id)) {
		const bytes = dataset ? Buffer.byteLength(dataset.json) : 0;
		const receipt = { ...receiptOf('unchanged', dataset, bytes), repeated: true };
		return { kind: 'repeated', answer: { status: 200, body: receipt } };
	}
	if (remembered.forgottenUpTo !== undefined && signed.at <= remembered.forgottenUpTo) {
		return { kind: 'refused', answer: errorAnswer(409, PUBLISH_TOO_OLD, TOO_OLD_MESSAGE) };
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
	const ledger = rememberPublish(remembered, signed);
	if (outcome.kind === 'unchanged') return { kind: 'unchanged', answer, ledger };
	return { kind: 'published', answer, dataset: outcome.dataset, ledger };
}

/** The ledger's publishes that could still be replayed, in the order they were accepted. */
interface RememberedPublishes {
	signedAt: Map<string, number>;
	forgottenUpTo?: number;
}

/** Reads the stored ledger, dropping what can no longer be replayed and anything malformed. */
function openLedger(ledger: PublishLedger | undefined, now: number): RememberedPublishes {
	const live = (at: unknown): at is number =>
		typeof at === 'number' && now - at < REMEMBERED_SECONDS;
	const signedAt = new Map<string, number>();
	const recent = ledger?.recent ?? [];
	for (let index = 0; index + 1 < recent.length; index += 2) {
		const [id, at] = [recent[index], recent[index + 1]];
		if (typeof id === 'string' && live(at)) signedAt.set(id, at);
	}
	const floor = ledger?.forgottenUpTo;
	return { signedAt, forgottenUpTo: live(floor) ? floor : undefined };
}

/**
 * The ledger with one more publish. Past the bound the oldest are forgotten, and `forgottenUpTo`
 * rises to the newest time any of them was signed at, so none of them can be replayed.
 */
function rememberPublish(
	remembered: RememberedPublishes,
	signed: { id: string; at: number },
): PublishLedger {
	const { signedAt } = remembered;
	let { forgottenUpTo } = remembered;
	signedAt.set(signed.id, signed.at);
	for (const [id, at] of signedAt) {
		if (signedAt.size <= MAX_REMEMBERED_PUBLISHES) break;
		signedAt.delete(id);
		forgottenUpTo = Math.max(forgottenUpTo ?? at, at);
	}
	const recent = [...signedAt].flat();
	return forgottenUpTo === undefined ? { recent } : { recent, forgottenUpTo };
}
