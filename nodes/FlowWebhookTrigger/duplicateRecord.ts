import { randomUUID } from 'node:crypto';

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { errorAnswer } from '../../lib/http/answers';
import type { IngestOutcome } from '../../lib/ingest/handleIngest';
import { rawRequestBody, UNREADABLE_BODY } from '../../lib/n8n/rawBody';
import { answerMisconfigured } from '../../lib/n8n/respond';
import { refuseRequest } from '../../lib/n8n/security';
import { nodeScope } from '../../lib/n8n/nodeScope';
import {
	absorb,
	emptyLedger,
	settle,
	type DedupOptions,
	type IdLedger,
} from '../../lib/store/dedup';
import { fromStored, packKeys } from '../../lib/store/eventKeys';
import { receivePersist } from '../../lib/store/persistChannel';

import { readTriggerSettings, type TriggerSettings } from './config';
import {
	createRecordSaver,
	knownPersistTarget,
	persistKey,
	type KnownPersistTarget,
	type RecordSaver,
} from './persistWebhook';

/**
 * The trigger's duplicate record: which event ids have a stored run, in this process (the ledger)
 * and in the workflow's static data (what other processes, and this one before a restart, stored).
 * What holds those ids, and the persist webhook that receives them, are here; posting them there
 * is `persistWebhook.ts`, and the ledger operations are the pure functions of `lib/store/dedup.ts`.
 *
 * n8n does not save static data that a request changed when it defers the answer until the run is
 * stored (starting the run marks the data unchanged), so stored ids are saved through the node's
 * own persist webhook: a request that starts no run, whose static data n8n saves before answering.
 * Its requests are signed with a key derived from the trigger's signing secret; a trigger that
 * verifies nothing has no secret that members of the instance cannot read (the instance id is in
 * every user's settings), so it keeps its record in this process only and saves none.
 */

/** How many revisions of the persisted ids a process remembers having written or absorbed. */
const KNOWN_REVISIONS = 16;

interface NodeRecord {
	/** Closes the gap between requests that arrive together: n8n loads and saves static data per request. */
	ledger: IdLedger;
	/**
	 * The latest revisions of the persisted ids this process wrote or absorbed: a store at one of
	 * them holds nothing this process lacks, so a request need not read it. Requests that loaded
	 * the static data just before a save still carry the revision before it, hence several.
	 */
	knownRevisions: Set<string>;
	/** Hands stored ids to the persist webhook; made with the first of them. */
	saver?: RecordSaver;
	/** Where the saver hands them, as last derived. */
	persistTarget?: KnownPersistTarget;
}

/** One record per trigger node (and mode) of this process. */
const records = new Map<string, NodeRecord>();

function nodeRecord(context: IWebhookFunctions): NodeRecord {
	const scope = nodeScope(context);
	let record = records.get(scope);
	if (!record) {
		record = { ledger: emptyLedger(), knownRevisions: new Set() };
		records.set(scope, record);
	}
	return record;
}

function rememberRevision(record: NodeRecord, revision: string): void {
	record.knownRevisions.add(revision);
	if (record.knownRevisions.size > KNOWN_REVISIONS) {
		const [oldest] = record.knownRevisions;
		record.knownRevisions.delete(oldest);
	}
}

/** One request's use of its node's duplicate record. */
export interface DuplicateCheck {
	/** Where `handleIngest` checks the event's id and claims it for a new run. */
	ledger: IdLedger;
	/**
	 * Follows up on what became of the request: an accepted event's id is remembered once n8n
	 * answers that it stored the run (`acceptedStatus`), and saved; a verified request that starts
	 * no run puts back ids another process's save dropped; a forged one writes nothing.
	 */
	recordOutcome(outcome: IngestOutcome, acceptedStatus: number): void;
}

/**
 * Opens the node's record for one request, topped up with the ids in the workflow's static data
 * when that data changed since last seen.
 */
export function openDuplicateRecord(
	context: IWebhookFunctions,
	settings: TriggerSettings,
	now: number,
): DuplicateCheck {
	const { dedup } = settings.ingest;
	const record = nodeRecord(context);
	const storeIsBehind =
		dedup && savesRecord(settings) ? absorbPersisted(context, record, dedup, now) : false;
	return {
		ledger: record.ledger,
		recordOutcome(outcome, acceptedStatus) {
			if (!dedup) return;
			if (outcome.kind === 'accepted') {
				const keys = outcome.events.flatMap(({ claimedKey }) => claimedKey ?? []);
				if (keys.length > 0) settleWhenAnswered(context, record, settings, keys, acceptedStatus);
			} else if (storeIsBehind && outcome.kind !== 'rejected') {
				writePersisted(context, record);
			}
		},
	};
}

/**
 * Adds the persisted ids to the ledger. True when the store is behind: it lacks ids this process
 * stored, because another process saved over them (n8n's saves are last-writer-wins), or it is in
 * an earlier build's form (the ids themselves, or no revision), which every request would
 * otherwise read again; rewriting it once brings it up to date.
 */
function absorbPersisted(
	context: IWebhookFunctions,
	record: NodeRecord,
	dedup: DedupOptions,
	now: number,
): boolean {
	const staticData = context.getWorkflowStaticData('node');
	const revision = staticData.seenEventKeysRevision as string | undefined;
	const earlierForm = staticData.seenEventIds !== undefined;
	if (!earlierForm && revision !== undefined && record.knownRevisions.has(revision)) return false;
	const storeIsBehind = absorb(record.ledger.stored, fromStored(staticData), now, dedup);
	if (earlierForm || revision === undefined)
		return storeIsBehind || earlierForm || staticData.seenEventKeys !== undefined;
	rememberRevision(record, revision);
	return storeIsBehind;
}

/**
 * Writes the ids into the workflow's static data, which n8n saves when a request that starts no
 * run ends. The whole remembered set each time, so a save never drops ids this process stored.
 */
function writePersisted(context: IWebhookFunctions, record: NodeRecord): void {
	const staticData = context.getWorkflowStaticData('node');
	const revision = randomUUID();
	staticData.seenEventKeys = packKeys(record.ledger.stored);
	staticData.seenEventKeysRevision = revision;
	delete staticData.seenEventIds;
	delete staticData.seenEventIdsRevision;
	rememberRevision(record, revision);
}

/**
 * Ends the claims on a request's accepted ids (their keys) when n8n has answered: an answer of
 * `acceptedStatus` means n8n stored the run, and the keys are then saved; any other answer, or a
 * sender that hung up first, lets a redelivery run.
 */
function settleWhenAnswered(
	context: IWebhookFunctions,
	record: NodeRecord,
	settings: TriggerSettings,
	keys: string[],
	acceptedStatus: number,
): void {
	const { dedup } = settings.ingest;
	if (!dedup) return;
	const response = context.getResponseObject();
	response.once('close', () => {
		const stored = response.writableFinished && response.statusCode === acceptedStatus;
		const now = Math.floor(Date.now() / 1000);
		for (const key of keys) settle(record.ledger, key, stored, now, dedup);
		if (!stored) return;
		record.persistTarget = knownPersistTarget(record.persistTarget, context, settings);
		const { target } = record.persistTarget;
		if (!target) return;
		record.saver ??= createRecordSaver();
		record.saver.save(target, dedup.maxEntries, keys, now);
	});
}

/** Only a trigger that verifies its senders has a secret to sign its persist requests with. */
function savesRecord({ ingest }: TriggerSettings): boolean {
	return ingest.verification !== null;
}

/**
 * Keys of the persist webhook: derived from the signing secrets (the previous one too, during a
 * rotation); none when the trigger verifies nothing.
 */
function persistSecrets(context: IWebhookFunctions, { ingest }: TriggerSettings): string[] {
	return (ingest.verification?.secrets ?? []).map((material) => persistKey(context, material));
}

/** The answer of the persist webhook of a trigger that verifies nothing and so saves no record. */
const NOTHING_SAVED = errorAnswer(
	403,
	'not_saved',
	'This trigger verifies no signatures, so it keeps its duplicate record in memory only and saves nothing through this webhook.',
);

/**
 * The persist webhook: merges the ids a process of this installation stored into the remembered
 * set and writes it. The answer is left to n8n, which sends it only after saving the static data.
 * Its callers are the node's own processes, so the node's Security options (meant for senders)
 * do not apply, and no count of other callers' forgeries ever refuses a signed request: the
 * signing secret is read at most once per few seconds whoever calls (`webhookCredentials`).
 */
export async function acceptPersist(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const rawBody = await rawRequestBody(context);
	if (!rawBody) return refuseRequest(context, UNREADABLE_BODY);
	let settings: TriggerSettings;
	try {
		settings = await readTriggerSettings(context);
	} catch (error) {
		return answerMisconfigured(context, error, 'receiving workflow');
	}
	if (!savesRecord(settings)) return refuseRequest(context, NOTHING_SAVED);
	const now = Math.floor(Date.now() / 1000);
	const received = receivePersist(
		{ headers: context.getRequestObject().headers, rawBody },
		persistSecrets(context, settings),
		now,
	);
	if (received.kind !== 'keys') return refuseRequest(context, received.answer);
	const { dedup } = settings.ingest;
	if (dedup) {
		const record = nodeRecord(context);
		absorbPersisted(context, record, dedup, now);
		absorb(record.ledger.stored, received.keys, now, dedup);
		writePersisted(context, record);
	}
	return { webhookResponse: { saved: true } };
}
