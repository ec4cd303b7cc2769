import { signWebhook } from '../../signing/sign';
import { publishDataset } from '../publish';

import {
	PUBLISH_KEY_ID_HEADER,
	PUBLISH_SIGNATURE_SCHEME,
	publishKeyId,
	type PublishReceipt,
	type PublishRefusal,
	type PublishRequest,
} from './protocol';

export type PreparedPublish =
	| { kind: 'ready'; request: PublishRequest }
	| { kind: 'tooLarge'; bytes: number; maxBytes: number }
	| { kind: 'tooDeep'; maxDepth: number };

/**
 * The request a run sends, holding only the items that can end up published: the newest Keep
 * Newest for Append, the first for Single Object. Data that is over the size or nesting limit on
 * its own would be over it on the webhook too, so it is refused here without sending anything.
 */
export function preparePublishRequest({ items, settings }: PublishRequest): PreparedPublish {
	const kept =
		settings.mode === 'append'
			? items.slice(-settings.keepNewest)
			: settings.mode === 'singleObject'
				? items.slice(0, 1)
				: items;
	const alone = publishDataset(undefined, kept, settings, new Date(0));
	if (alone.kind === 'tooLarge') return alone;
	if (alone.kind === 'tooDeep') return alone;
	return { kind: 'ready', request: { items: kept, settings } };
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
	const signature = signWebhook({
		scheme: PUBLISH_SIGNATURE_SCHEME,
		secret,
		body,
		id: publishId,
		timestamp,
	});
	return {
		body,
		headers: {
			'content-type': 'application/json',
			[PUBLISH_KEY_ID_HEADER]: publishKeyId(secret),
			...signature,
		},
	};
}

/** Answers of a busy or restarting n8n; anything else is final. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** What an answer to a publish request says, for the run to act on. */
export type PublishAnswer =
	| { kind: 'receipt'; receipt: PublishReceipt }
	| { kind: 'busy' }
	| { kind: 'refused'; refusal: PublishRefusal }
	/** Neither a receipt nor a refusal: something other than the node's webhook answered. */
	| { kind: 'foreign' };

/** Reads the status and parsed body (undefined when not JSON) of an answer to a publish request. */
export function readPublishAnswer(status: number, body: unknown): PublishAnswer {
	const receipt = asPublishReceipt(body);
	if (status >= 200 && status < 300 && receipt) return { kind: 'receipt', receipt };
	if (RETRYABLE_STATUSES.has(status)) return { kind: 'busy' };
	if (isRefusal(body)) return { kind: 'refused', refusal: body };
	return { kind: 'foreign' };
}

function asPublishReceipt(body: unknown): PublishReceipt | undefined {
	const candidate = body as Partial<PublishReceipt> | undefined;
	return (candidate?.outcome === 'published' || candidate?.outcome === 'unchanged') &&
		typeof candidate.version === 'number' &&
		typeof candidate.total === 'number' &&
		typeof candidate.bytes === 'number'
		? (candidate as PublishReceipt)
		: undefined;
}

function isRefusal(body: unknown): body is PublishRefusal {
	const candidate = body as Partial<PublishRefusal> | undefined;
	return typeof candidate?.error === 'string' && typeof candidate.message === 'string';
}
