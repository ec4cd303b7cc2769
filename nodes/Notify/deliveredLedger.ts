import { sleep, type ICheckProcessedOptions, type IExecuteFunctions } from 'n8n-workflow';

import { createBatchWriter, type BatchSpacing } from '../../lib/store/batchWriter';

/**
 * Which destinations have accepted which events, kept in n8n's deduplication store: one record per
 * Notify node, which n8n writes at once, mid-run, the only store a node can write before its
 * execution ends. n8n never resumes an execution that a crash (or a shutdown that outlasted its
 * grace period) interrupted: it marks it crashed. A retry of it runs Notify's round again with the
 * same event ids (`eventIds.ts`); this record lets that round skip the destinations that had
 * accepted the event. A crash between a destination's answer and its record means that
 * destination gets the event again, with the same id: receivers drop repeats by `webhook-id`.
 */
const STORE: ICheckProcessedOptions = { mode: 'entries', maxEntries: 10_000 };

/**
 * At most one write a second while a run is sending: n8n reads, extends and rewrites the node's
 * whole record (up to 10,000 hashed keys) for each write, which cost a 1,000-event run more than
 * its signing when every write followed the one before (docs/benchmarks.md). The acceptances of
 * the last second before a crash may go unrecorded: those destinations get the event again, with
 * its id, as they would for a crash just before a write.
 */
const WRITE_SPACING_MS = 1_000;

export const deliveryKey = (eventId: string, url: string) => `${eventId} ${url}`;

export interface DeliveredLedger {
	/** Records that the destination accepted the event: written soon, in the background. */
	accepted(eventId: string, url: string): void;
	/** Of `keys`, those an earlier run of this execution recorded as accepted (none on a first run). */
	acceptedBefore(keys: string[]): Promise<Set<string>>;
	/** Called once every delivery is done: writes what is left at once, and resolves when it is written. */
	flush(): Promise<void>;
}

const NO_LEDGER: DeliveredLedger = {
	accepted: () => undefined,
	acceptedBefore: async () => new Set(),
	flush: async () => undefined,
};

/** The ledger of a Notify run; none for test events and on n8n versions without the store. */
export function deliveredLedger(context: IExecuteFunctions, enabled: boolean): DeliveredLedger {
	const { helpers } = context;
	if (!enabled || !helpers.checkProcessedAndRecord || !helpers.removeProcessed) return NO_LEDGER;
	let warned = false;
	const warnOnce = (error: unknown) => {
		if (warned) return;
		warned = true;
		context.logger.warn(
			`Notify could not record accepted deliveries (${(error as Error).message}): if this execution is interrupted and retried, destinations that accepted an event may get it again, with the same id.`,
		);
	};
	const sent = new AbortController();
	const writer = createBatchWriter<string>(async (keys) => {
		await helpers.checkProcessedAndRecord(keys, 'node', STORE).catch(warnOnce);
	}, spacedUntil(sent.signal));
	return {
		accepted: (eventId, url) => writer.add(deliveryKey(eventId, url)),
		async acceptedBefore(keys) {
			// Only a retried execution can have run this round before.
			if (context.getMode() !== 'retry' || keys.length === 0) return new Set();
			try {
				// The store has no read without a write: keys it did not know are taken out again.
				const found = await helpers.checkProcessedAndRecord(keys, 'node', STORE);
				if (found.new.length > 0) await helpers.removeProcessed(found.new, 'node', STORE);
				return new Set(found.processed.map(String));
			} catch (error) {
				warnOnce(error);
				return new Set();
			}
		},
		async flush() {
			sent.abort();
			await writer.flush();
		},
	};
}

/** Writes spaced out until `ended` fires (every delivery of the run is done), then at once. */
function spacedUntil(ended: AbortSignal): BatchSpacing {
	return {
		spacingMs: WRITE_SPACING_MS,
		// sleep rejects when the signal fires: the wait is over.
		wait: async (ms) => await sleep(ms, ended).catch(() => undefined),
	};
}
