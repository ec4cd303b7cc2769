import { createHmac } from 'node:crypto';

import { errorAnswer, type HttpAnswer } from '../http/answers';
import {
	channelSecret,
	DEFAULT_TOLERANCE_SECONDS,
	readHeader,
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
 * The key that signs publish requests of one node, derived from the node's publish key (a
 * credential: what the run and the webhook both read, and nobody who merely reads the workflow
 * can) and the workflow's and node's ids, so one publish key can serve many providers.
 */
export function publishSigningSecret(
	publishKey: string,
	workflowId: string,
	nodeId: string,
): string {
	return channelSecret(publishKey, 'publish', workflowId, nodeId);
}

export const MIN_PUBLISH_KEY_LENGTH = 32;

/** Why a publish key is unfit, or null. Used by the credential test and before each publish. */
export function publishKeyProblem(publishKey: string): string | null {
	if (publishKey.length < MIN_PUBLISH_KEY_LENGTH) {
		return `The publish key is too short: use at least ${MIN_PUBLISH_KEY_LENGTH} random characters (openssl rand -base64 32).`;
	}
	if (/\s/.test(publishKey)) return 'The publish key may not contain spaces or line breaks.';
	return null;
}

/**
 * Names the signing key of a publish request without revealing it, so that the webhook can tell
 * a publish signed before the key changed (retryable) from a forged one.
 */
export const PUBLISH_KEY_ID_HEADER = 'publish-key-id';

export function publishKeyId(secret: string): string {
	return createHmac('sha256', secret).update('publish key id').digest('base64url').slice(0, 16);
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
	return {
		body,
		headers: {
			'content-type': 'application/json',
			[PUBLISH_KEY_ID_HEADER]: publishKeyId(secret),
			...signature,
		},
	};
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
	const keyId = readHeader(received.headers, PUBLISH_KEY_ID_HEADER);
	// Checked before the signature: a key that changed needs no digest of the body to tell.
	if (keyId !== undefined && keyId !== publishKeyId(secret)) {
		return { answer: errorAnswer(401, 'publish_key_changed', KEY_CHANGED_MESSAGE) };
	}
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

const KEY_CHANGED_MESSAGE =
	"This publish was signed with another publish key than the node's: its credential changed while the run was publishing. Nothing was published; run it again.";

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
