import { errorAnswer, type HttpAnswer } from '../http/answers';
import {
	channelSecret,
	DEFAULT_TOLERANCE_SECONDS,
	signWebhook,
	verifyWebhook,
	type HeaderBag,
} from '../signing';
import { fromStored, remember, toStored, wasSeen, type StoredIds } from '../store/dedup';
import {
	publishDataset,
	publishSettingsProblem,
	type JsonObject,
	type PublishedDataset,
	type PublishMode,
	type PublishSettings,
	tooDeepMessage,
	tooLargeMessage,
} from './publish';

/**
 * A run that lacks the stored dataset (a queue-mode worker starts runs without the workflow's
 * static data) hands its items to the node's own webhook instead: n8n loads the stored data
 * fresh for every webhook request, so the publish builds on it and keeps what other nodes store.
 */
export interface PublishRequest {
	items: JsonObject[];
	settings: PublishSettings;
}

/** What the webhook answers to a publish it accepted. */
export interface PublishReceipt {
	outcome: 'published' | 'unchanged';
	version: number;
	total: number;
	bytes: number;
	/** The same publish arrived before (a retry); nothing changed this time. */
	repeated?: boolean;
}

/** Remembered publish ids answer retries and replays without publishing twice. */
const REMEMBERED_PUBLISHES = { retentionSeconds: DEFAULT_TOLERANCE_SECONDS * 2, maxEntries: 200 };

const MODES: readonly PublishMode[] = ['append', 'replace', 'singleObject'];

/**
 * The key that signs publish requests. Both sides derive it from what every n8n process of the
 * installation shares and clients of the data endpoint never see: the instance id (derived from
 * the encryption key) and the workflow's and node's ids. No setting is needed.
 */
export function publishSigningSecret(
	instanceId: string,
	workflowId: string,
	nodeId: string,
): string {
	return channelSecret(instanceId, 'publish', workflowId, nodeId);
}

const SCHEME = { kind: 'standardWebhooks' } as const;

/**
 * The request a run sends, holding only the items that can end up published: the newest Keep
 * Newest for Append, the first for Single Object. Data that is over the size or nesting limit on
 * its own would be over it on the webhook too, so it is refused here without sending anything.
 */
export function prepareWebhookPublish(
	request: PublishRequest,
):
	| { request: PublishRequest }
	| { tooLarge: { bytes: number; maxBytes: number } }
	| { tooDeep: { maxDepth: number } } {
	const { items, settings } = request;
	const kept =
		settings.mode === 'append'
			? items.slice(-settings.keepNewest)
			: settings.mode === 'singleObject'
				? items.slice(0, 1)
				: items;
	const alone = publishDataset(undefined, kept, settings, new Date(0));
	if (alone.kind === 'tooLarge')
		return { tooLarge: { bytes: alone.bytes, maxBytes: alone.maxBytes } };
	if (alone.kind === 'tooDeep') return { tooDeep: { maxDepth: alone.maxDepth } };
	return { request: { items: kept, settings } };
}

/** The body and headers of a signed publish request. */
export function signedPublishRequest(
	request: PublishRequest,
	secret: string,
	publishId: string,
	now: Date,
): { body: string; headers: Record<string, string> } {
	const body = JSON.stringify(request);
	const timestamp = Math.floor(now.getTime() / 1000);
	const signature = signWebhook({ scheme: SCHEME, secret, body, id: publishId, timestamp });
	return { body, headers: { 'content-type': 'application/json', ...signature } };
}

/**
 * Decides what a publish request does to the stored dataset. Only a request signed with the
 * node's key within the last five minutes gets further than 401.
 */
export function receivePublish(
	received: { headers: HeaderBag; rawBody: Buffer },
	secret: string,
	stored: { dataset?: PublishedDataset; ledger?: PublishLedger },
	now: Date,
): AppliedPublish {
	const verified = verifyWebhook({
		scheme: SCHEME,
		headers: received.headers,
		body: received.rawBody,
		secrets: [secret],
		now: Math.floor(now.getTime() / 1000),
	});
	if (!verified.ok) return { answer: errorAnswer(401, verified.reason, verified.message) };
	const request = parsePublishRequest(received.rawBody);
	if ('status' in request) return { answer: request };
	return applyPublish(stored.dataset, stored.ledger, verified.id ?? '', request, now);
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

/** What the webhook keeps besides the dataset. */
export interface PublishLedger {
	/** Ids of recent publish requests, stored as `lib/store/dedup` persists ids. */
	recent: StoredIds;
}

export interface AppliedPublish {
	answer: HttpAnswer;
	/** Set when the dataset changed and must be stored. */
	dataset?: PublishedDataset;
	/** Set with `dataset`: the publish ids to remember. */
	ledger?: PublishLedger;
}

/**
 * Applies a verified publish to the stored dataset. A publish id accepted before is answered with
 * what is stored now and changes nothing; data over the size limit is refused with 413 and the
 * stored dataset stays as it is.
 */
function applyPublish(
	stored: PublishedDataset | undefined,
	ledger: PublishLedger | undefined,
	publishId: string,
	request: PublishRequest,
	now: Date,
): AppliedPublish {
	const seen = fromStored(ledger?.recent);
	const nowSeconds = Math.floor(now.getTime() / 1000);
	if (wasSeen(seen, publishId, nowSeconds, REMEMBERED_PUBLISHES)) {
		const bytes = stored ? Buffer.byteLength(stored.json) : 0;
		return {
			answer: { status: 200, body: { ...receiptOf('unchanged', stored, bytes), repeated: true } },
		};
	}
	const outcome = publishDataset(stored, request.items, request.settings, now);
	if (outcome.kind === 'tooDeep') {
		return { answer: errorAnswer(400, 'too_deeply_nested', tooDeepMessage(outcome.maxDepth)) };
	}
	if (outcome.kind === 'tooLarge') {
		const { bytes, maxBytes } = outcome;
		const refusal = errorAnswer(413, 'dataset_too_large', tooLargeMessage(bytes, maxBytes));
		const body = { ...(refusal.body as object), bytes, maxBytes, version: stored?.version ?? 0 };
		return { answer: { ...refusal, body } };
	}
	const answer = { status: 200, body: receiptOf(outcome.kind, outcome.dataset, outcome.bytes) };
	// An unchanged publish stores nothing: applied again, it is unchanged again.
	if (outcome.kind === 'unchanged') return { answer };
	remember(seen, publishId, nowSeconds, REMEMBERED_PUBLISHES);
	return { answer, dataset: outcome.dataset, ledger: { recent: toStored(seen) } };
}

/** What a publish reports: its outcome and the dataset now published. */
export function receiptOf(
	outcome: PublishReceipt['outcome'],
	dataset: PublishedDataset | undefined,
	bytes: number,
): PublishReceipt {
	return { outcome, version: dataset?.version ?? 0, total: dataset?.total ?? 0, bytes };
}

/** The receipt in a webhook's answer body, if the body is one. */
export function asPublishReceipt(body: unknown): PublishReceipt | undefined {
	const candidate = body as Partial<PublishReceipt> | undefined;
	return (candidate?.outcome === 'published' || candidate?.outcome === 'unchanged') &&
		typeof candidate.version === 'number' &&
		typeof candidate.total === 'number' &&
		typeof candidate.bytes === 'number'
		? (candidate as PublishReceipt)
		: undefined;
}
