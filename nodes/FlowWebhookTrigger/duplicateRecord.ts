import { randomUUID } from 'node:crypto';

import type { IWebhookFunctions, IWebhookResponseData, Logger, WebhookType } from 'n8n-workflow';

import { rawRequestBody, UNREADABLE_BODY } from '../../lib/n8n/rawBody';
import { answerMisconfigured } from '../../lib/n8n/respond';
import { limitRefusals } from '../../lib/n8n/refusalLimit';
import { refuseRequest } from '../../lib/n8n/security';
import { nodeScope } from '../../lib/n8n/nodeScope';
import { channelSecret } from '../../lib/signing';
import {
	absorb,
	fromStored,
	processLedger,
	settle,
	takeUnsaved,
	toStored,
	type DedupOptions,
	type IdLedger,
	type StoredIds,
} from '../../lib/store/dedup';
import { receivePersist, signedPersistRequest } from '../../lib/store/persistChannel';

import { readTriggerSettings, type TriggerSettings } from './config';

/**
 * The trigger's duplicate record: which event ids have a stored run, in this process (the ledger)
 * and in the workflow's static data (what other processes, and this one before a restart, stored).
 *
 * n8n does not save static data that a request changed when it defers the answer until the run is
 * stored (starting the run marks the data unchanged), so stored ids are saved through the node's
 * own persist webhook: a request that starts no run, whose static data n8n saves before answering.
 */

/** The persist webhook's name; n8n's type allows only "default" and "setup". */
export const PERSIST_WEBHOOK: WebhookType = 'setup';
/** Served at <webhook URL>/<node webhook id>/persist: a path no other workflow can hold. */
export const PERSIST_PATH = 'persist';

const PERSIST_TIMEOUT_MS = 10_000;

// The revision of the persisted ids each scope last wrote or absorbed: while the stored revision
// is the same, the store holds nothing this process lacks, so a request need not walk it.
const knownRevisions = new Map<string, string>();

/**
 * This process's ledger, topped up with the ids in the workflow's static data when that data
 * changed since last seen. `storeIsBehind`: the stored ids lack some this process stored, because
 * another process saved over them (n8n's saves are last-writer-wins).
 */
export function rememberedIds(
	context: IWebhookFunctions,
	dedup: DedupOptions | null,
	now: number,
): { ledger: IdLedger; storeIsBehind: boolean } {
	const scope = nodeScope(context);
	const ledger = processLedger(scope);
	if (!dedup) return { ledger, storeIsBehind: false };
	const staticData = context.getWorkflowStaticData('node');
	const revision = staticData.seenEventIdsRevision as string | undefined;
	if (revision !== undefined && revision === knownRevisions.get(scope))
		return { ledger, storeIsBehind: false };
	const storeIsBehind = absorb(ledger.stored, fromStored(staticData.seenEventIds), now, dedup);
	if (revision !== undefined) knownRevisions.set(scope, revision);
	return { ledger, storeIsBehind };
}

/**
 * Writes the ids into the workflow's static data, which n8n saves when a request that starts no
 * run ends. The whole remembered set each time, so a save never drops ids this process stored.
 */
export function persistRememberedIds(context: IWebhookFunctions, ids: StoredIds): void {
	const staticData = context.getWorkflowStaticData('node');
	const revision = randomUUID();
	staticData.seenEventIds = ids;
	staticData.seenEventIdsRevision = revision;
	knownRevisions.set(nodeScope(context), revision);
}

/** Where and how this process hands stored ids over to be saved; null where nothing is saved (test URL). */
interface PersistTarget {
	url: string;
	secret: string;
	logger: Logger;
	nodeName: string;
}

/**
 * Ends the claim on an accepted id when n8n has answered: an answer of `acceptedStatus` means n8n
 * stored the run, and the id is then saved; any other answer, or a sender that hung up first, lets
 * a redelivery run.
 */
export function settleWhenAnswered(
	context: IWebhookFunctions,
	settings: TriggerSettings,
	ledger: IdLedger,
	id: string,
	acceptedStatus: number,
): void {
	const { dedup } = settings.ingest;
	if (!dedup) return;
	const target = persistTarget(context, settings);
	const response = context.getResponseObject();
	response.once('close', () => {
		const stored = response.writableFinished && response.statusCode === acceptedStatus;
		settle(ledger, id, stored, Math.floor(Date.now() / 1000), dedup);
		if (stored && target) void saveUnsaved(ledger, target, dedup);
	});
}

function persistTarget(
	context: IWebhookFunctions,
	settings: TriggerSettings,
): PersistTarget | null {
	// Static data of test-URL runs is never saved.
	if (context.getMode() !== 'webhook') return null;
	const url = context.getNodeWebhookUrl(PERSIST_WEBHOOK);
	if (!url) return null;
	const [secret] = persistSecrets(context, settings);
	return { url, secret, logger: context.logger, nodeName: context.getNode().name };
}

/**
 * Keys of the persist webhook: derived from the signing secrets (the previous one too, during a
 * rotation), or from the instance id when the trigger verifies nothing and anyone may send events.
 */
function persistSecrets(context: IWebhookFunctions, { ingest }: TriggerSettings): string[] {
	const materials = ingest.verification?.secrets ?? [context.getInstanceId()];
	const workflowId = context.getWorkflow().id ?? '';
	return materials.map((material) =>
		channelSecret(material, 'persist', workflowId, context.getNode().id),
	);
}

/** Hands the unsaved ids over, one request at a time per node; ids stored meanwhile follow in the next. */
async function saveUnsaved(
	ledger: IdLedger,
	target: PersistTarget,
	dedup: DedupOptions,
): Promise<void> {
	if (ledger.saving) return;
	ledger.saving = true;
	try {
		for (let batch = takeUnsaved(ledger); Object.keys(batch).length > 0; ) {
			const problem = await postIds(target, toStored(batch));
			if (problem) {
				absorb(ledger.unsaved, batch, Math.floor(Date.now() / 1000), dedup);
				target.logger.warn(
					`Node "${target.nodeName}" could not save accepted event ids (${problem}); a later request saves them.`,
				);
				return;
			}
			batch = takeUnsaved(ledger);
		}
	} finally {
		ledger.saving = false;
	}
}

/** Posts the ids to the persist webhook; what went wrong, or undefined when they were saved. */
async function postIds(target: PersistTarget, ids: StoredIds): Promise<string | undefined> {
	const now = Math.floor(Date.now() / 1000);
	const { body, headers } = signedPersistRequest(
		ids,
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

/**
 * The persist webhook: merges the ids a process of this installation stored into the remembered
 * set and writes it. The answer is left to n8n, which sends it only after saving the static data.
 */
export async function acceptPersist(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const refusals = limitRefusals(context, PERSIST_PATH);
	if (refusals.limited) return refuseRequest(context, refusals.limited);
	const rawBody = await rawRequestBody(context);
	if (!rawBody) return refusals.refuse(UNREADABLE_BODY);
	let settings: TriggerSettings;
	try {
		settings = await readTriggerSettings(context);
	} catch (error) {
		refusals.release();
		return answerMisconfigured(context, error, 'receiving workflow');
	}
	const now = Math.floor(Date.now() / 1000);
	const received = receivePersist(
		{ headers: context.getRequestObject().headers, rawBody },
		persistSecrets(context, settings),
		now,
	);
	if (!received.ok && received.answer.status === 401) return refusals.refuse(received.answer);
	refusals.release();
	if (!received.ok) return refuseRequest(context, received.answer);
	const { dedup } = settings.ingest;
	if (dedup) {
		const { ledger } = rememberedIds(context, dedup, now);
		absorb(ledger.stored, received.ids, now, dedup);
		persistRememberedIds(context, toStored(ledger.stored));
	}
	return { webhookResponse: { saved: true } };
}
