import { createHmac } from 'node:crypto';

import { channelSecret } from '../../signing/channelSecret';
import type { JsonObject, PublishedDataset, PublishSettings } from '../publish';

/*
 * A run that lacks the stored dataset (a queue-mode worker starts runs without the workflow's
 * static data) hands its items to the node's own webhook instead: n8n loads the stored data fresh
 * for every webhook request, so the publish builds on it and keeps what other nodes store. This
 * file is what the sending run (send.ts) and the receiving webhook (receive.ts) agree on.
 */

/** Served at <webhook URL>/<node webhook id>/publish: a path no other workflow can hold. */
export const PUBLISH_PATH = 'publish';

/** The body of a publish request. */
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

/** What the webhook answers to a publish it refused; the sizes come with `dataset_too_large`. */
export interface PublishRefusal {
	error: string;
	message: string;
	bytes?: number;
	maxBytes?: number;
	version?: number;
}

/** The refusal of a publish signed with another key than the node's: the run may try again. */
export const PUBLISH_KEY_CHANGED = 'publish_key_changed';
/** The refusal of a publish whose data, merged with what is stored, is over the size limit. */
export const DATASET_TOO_LARGE = 'dataset_too_large';

export const PUBLISH_SIGNATURE_SCHEME = { kind: 'standardWebhooks' } as const;

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

/** Why a publish key is unfit, or undefined. Used by the credential test and before each publish. */
export function publishKeyProblem(publishKey: string): string | undefined {
	if (publishKey.length < MIN_PUBLISH_KEY_LENGTH) {
		return `The publish key is too short: use at least ${MIN_PUBLISH_KEY_LENGTH} random characters (openssl rand -base64 32).`;
	}
	if (/\s/.test(publishKey)) return 'The publish key may not contain spaces or line breaks.';
	return undefined;
}

/**
 * Names the signing key of a publish request without revealing it, so that the webhook can tell
 * a publish signed before the key changed (retryable) from a forged one.
 */
export const PUBLISH_KEY_ID_HEADER = 'publish-key-id';

export function publishKeyId(secret: string): string {
	return createHmac('sha256', secret).update('publish key id').digest('base64url').slice(0, 16);
}

/** What a publish reports: its outcome and the dataset now published. */
export function receiptOf(
	outcome: PublishReceipt['outcome'],
	dataset: PublishedDataset | undefined,
	bytes: number,
): PublishReceipt {
	return { outcome, version: dataset?.version ?? 0, total: dataset?.total ?? 0, bytes };
}
