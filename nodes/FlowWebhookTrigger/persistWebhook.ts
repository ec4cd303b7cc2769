import { randomUUID } from 'node:crypto';

import { sleep, type IWebhookFunctions, type Logger, type WebhookType } from 'n8n-workflow';

import { nodeWebhookUrlUnder } from '../../lib/n8n/webhookUrl';
import { channelSecret } from '../../lib/signing/channelSecret';
import { createBatchWriter } from '../../lib/store/batchWriter';
import type { SeenIds } from '../../lib/store/dedup';
import { signedPersistRequest } from '../../lib/store/persistChannel';

import type { TriggerSettings } from './config';

/**
 * The sending side of the trigger's persist webhook: where a process posts the ids of stored runs,
 * with which key, and how often. The receiving side is `acceptPersist` (duplicateRecord.ts).
 */

/** The persist webhook's name; n8n's type allows only "default" and "setup". */
export const PERSIST_WEBHOOK: WebhookType = 'setup';
/** Served at <webhook URL>/<node webhook id>/persist: a path no other workflow can hold. */
export const PERSIST_PATH = 'persist';

const PERSIST_TIMEOUT_MS = 10_000;

/**
 * How long after one save of a node's ids the next may start. Each save is a whole n8n webhook
 * request that rewrites the static data, so under load ids are saved once a second, not once per
 * few events; the ids accepted in that second are the ones a crash can leave unsaved (their
 * redeliveries would run again, see docs/flow-webhook-trigger.md). A quiet trigger saves at once.
 */
const SAVE_SPACING_MS = 1_000;

/** Where and how this process hands stored ids over to be saved. */
export interface PersistTarget {
	url: string;
	secret: string;
	logger: Logger;
	nodeName: string;
}

/** Null where nothing is saved: static data of test-URL runs never is, nor a record without a key. */
function persistTarget(
	context: IWebhookFunctions,
	settings: TriggerSettings,
): PersistTarget | null {
	if (context.getMode() !== 'webhook') return null;
	const url = persistUrl(context, settings);
	// Signed with the current secret's key only; the previous one's is for receiving.
	const [current] = settings.ingest.verification?.secrets ?? [];
	if (!url || !current) return null;
	const secret = persistKey(context, current);
	return { url, secret, logger: context.logger, nodeName: context.getNode().name };
}

/** A node's persist target with what it was derived from, so that it is derived again only when that changes. */
export interface KnownPersistTarget {
	inputs: string;
	target: PersistTarget | null;
}

/**
 * `known` when its inputs still hold, else the target derived anew: deriving costs an HMAC and
 * n8n's resolution of the webhook URL, and a busy trigger would pay both for every accepted event.
 * The inputs are all that varies within one node record (nodeScope): the base URL, the node's
 * name and webhook id, and the current secret.
 */
export function knownPersistTarget(
	known: KnownPersistTarget | undefined,
	context: IWebhookFunctions,
	settings: TriggerSettings,
): KnownPersistTarget {
	const { name, webhookId = '' } = context.getNode();
	const [current = ''] = settings.ingest.verification?.secrets ?? [];
	const inputs = [settings.webhookBaseUrl ?? '', name, webhookId, current].join('\n');
	if (known?.inputs === inputs) return known;
	return { inputs, target: persistTarget(context, settings) };
}

/**
 * The persist webhook's URL: under Options › Webhook Base URL when set, for an n8n that cannot
 * reach its own WEBHOOK_URL; otherwise where n8n serves it.
 */
function persistUrl(
	context: IWebhookFunctions,
	{ webhookBaseUrl }: TriggerSettings,
): string | undefined {
	if (!webhookBaseUrl) return context.getNodeWebhookUrl(PERSIST_WEBHOOK);
	return nodeWebhookUrlUnder(
		webhookBaseUrl,
		context.getWorkflow().id ?? '',
		context.getNode(),
		PERSIST_PATH,
	);
}

/** The persist webhook's key derived from one signing secret, for this workflow and node only. */
export function persistKey(context: IWebhookFunctions, material: string): string {
	return channelSecret(material, 'persist', context.getWorkflow().id ?? '', context.getNode().id);
}

/** The key of an id whose run n8n stored (`eventKey`), with when (Unix seconds). */
type AcceptedKey = [key: string, acceptedAt: number];

/** Saves one trigger node's stored ids, batched and spaced (`SAVE_SPACING_MS`). */
export interface RecordSaver {
	/**
	 * Queues the keys (`eventKey`) of ids n8n stored runs for; `target` and `maxEntries` are as the
	 * latest request found them.
	 */
	save(target: PersistTarget, maxEntries: number, keys: string[], acceptedAt: number): void;
}

export function createRecordSaver(): RecordSaver {
	let destination: { target: PersistTarget; maxEntries: number } | undefined;
	/** Keys a failed save could not hand over: they go out with the next one. */
	let unsaved: AcceptedKey[] = [];
	/** The last save failed: its warning is logged, and not again until a save succeeds. */
	let failing = false;
	// When this save fails too, its ids all wait for the next one (the next accepted event's).
	const saveBatch = async (batch: AcceptedKey[]) => {
		if (!destination) return;
		const { target, maxEntries } = destination;
		const keys = [...unsaved, ...batch].slice(-maxEntries);
		unsaved = [];
		const problem = await postKeys(target, new Map(keys));
		if (!problem) {
			failing = false;
			return;
		}
		unsaved = keys;
		if (!failing) warnSaveFailed(target, problem);
		failing = true;
	};
	const writer = createBatchWriter(saveBatch, { spacingMs: SAVE_SPACING_MS, wait: sleep });
	return {
		save(target, maxEntries, keys, acceptedAt) {
			destination = { target, maxEntries };
			for (const key of keys) writer.add([key, acceptedAt]);
		},
	};
}

/**
 * Warns of a failed save, once per streak of failures: every accepted event retries the save, and
 * a lasting cause (n8n cannot reach its own webhook URL) would otherwise log a line per event.
 */
function warnSaveFailed(target: PersistTarget, problem: string): void {
	target.logger.warn(
		`Node "${target.nodeName}" could not save the IDs of accepted events through its own webhook (${problem}). ` +
			'The events are safe: their executions are stored. Until a save succeeds, only this n8n process recognises their redeliveries as duplicates, and only until it restarts. ' +
			"If n8n cannot reach its own webhook URL (behind a reverse proxy, a tunnel or NAT), set the trigger's Options › Webhook Base URL to an address of n8n's production webhooks that this n8n process can reach (for example http://localhost:5678/webhook), or make WEBHOOK_URL reachable from it. " +
			'The next accepted event retries the save; this is logged again only after a save has succeeded.',
	);
}

/** Posts the keys to the persist webhook; what went wrong, or undefined when they were saved. */
async function postKeys(target: PersistTarget, keys: SeenIds): Promise<string | undefined> {
	const now = Math.floor(Date.now() / 1000);
	const { body, headers } = signedPersistRequest(
		keys,
		target.secret,
		`persist_${randomUUID()}`,
		now,
	);
	try {
		const response = await fetch(target.url, {
			method: 'POST',
			headers,
			body,
			redirect: 'error',
			signal: AbortSignal.timeout(PERSIST_TIMEOUT_MS),
		});
		await response.arrayBuffer();
		return response.ok ? undefined : `${target.url} answered HTTP ${response.status}`;
	} catch (error) {
		return `${target.url}: ${(error as Error).message}`;
	}
}
