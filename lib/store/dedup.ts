/**
 * Remembers accepted event ids for a retention window, with a bounded count. A map keeps them in
 * acceptance order with its size at hand, so pruning drops the oldest without a scan or a count.
 */
export type SeenIds = Map<string, number>;

export interface DedupOptions {
	retentionSeconds: number;
	maxEntries: number;
}

function prune(seen: SeenIds, now: number, options: DedupOptions): void {
	let excess = seen.size - options.maxEntries;
	for (const [id, acceptedAt] of seen) {
		if (excess <= 0 && now - acceptedAt < options.retentionSeconds) break;
		seen.delete(id);
		excess--;
	}
}

/** True when the id was accepted within the retention window. */
export function wasSeen(seen: SeenIds, id: string, now: number, options: DedupOptions): boolean {
	const acceptedAt = seen.get(id);
	return acceptedAt !== undefined && now - acceptedAt < options.retentionSeconds;
}

/** Records an accepted id and drops what fell out of the window or over the count. */
export function remember(seen: SeenIds, id: string, now: number, options: DedupOptions): void {
	seen.delete(id);
	seen.set(id, now);
	prune(seen, now, options);
}

/**
 * What one process knows of a trigger's event ids: those n8n has stored a run for (`stored`),
 * and those whose run n8n is storing right now (`inFlight`). An id moves from in flight to stored
 * only once n8n has answered its sender 2xx, and is forgotten if n8n could not store the run.
 * Both hold ids by their `eventKey`, as the stored record does, and `claim` and `settle` take keys.
 */
export interface IdLedger {
	stored: SeenIds;
	inFlight: Set<string>;
	/** Signed nonces of verified requests (`firstUseOfNonce`); kept in memory only, for minutes. */
	nonces: SeenIds;
}

export function emptyLedger(): IdLedger {
	return { stored: new Map(), inFlight: new Set(), nonces: new Map() };
}

/** How many nonces are kept at most: each comes from a verified request, so only senders add them. */
const MAX_NONCES = 50_000;

/**
 * Whether a verified request's signed nonce is new, remembering it if so. A signed timestamp
 * passes while within `toleranceSeconds` of the clock, either way, so a nonce first seen now may
 * come back with a valid timestamp for up to twice the tolerance: it is kept that long. Anything
 * older is refused as stale before its nonce is looked at, so nothing is saved across restarts.
 */
export function firstUseOfNonce(
	ledger: IdLedger,
	nonce: string,
	now: number,
	toleranceSeconds: number,
): boolean {
	const options = { retentionSeconds: 2 * toleranceSeconds + 1, maxEntries: MAX_NONCES };
	if (wasSeen(ledger.nonces, nonce, now, options)) return false;
	remember(ledger.nonces, nonce, now, options);
	return true;
}

export type Claim = 'claimed' | 'duplicate' | 'in_flight';

/**
 * Claims an event id (by its key) for a new run, unless a run for it is stored (`duplicate`) or
 * being stored (`in_flight`). Check and claim happen with no await in between, so concurrent
 * requests in one process cannot both claim the same id.
 */
export function claim(ledger: IdLedger, key: string, now: number, options: DedupOptions): Claim {
	if (wasSeen(ledger.stored, key, now, options)) return 'duplicate';
	if (ledger.inFlight.has(key)) return 'in_flight';
	ledger.inFlight.add(key);
	return 'claimed';
}

/** Ends a claim: remembered when n8n stored the run, forgotten so a redelivery runs when it did not. */
export function settle(
	ledger: IdLedger,
	key: string,
	stored: boolean,
	now: number,
	options: DedupOptions,
): void {
	ledger.inFlight.delete(key);
	if (!stored) return;
	remember(ledger.stored, key, now, options);
}

function orderByAcceptance(seen: SeenIds): void {
	const entries = [...seen].sort(([, a], [, b]) => a - b);
	seen.clear();
	for (const [id, acceptedAt] of entries) seen.set(id, acceptedAt);
}

/**
 * Adds the still-remembered ids of `source` that `target` lacks: how this process learns what
 * other processes, or its own life before a restart, accepted. Returns true when `target` then
 * holds ids `source` lacks: the store was overwritten by a process that did not know them.
 */
export function absorb(
	target: SeenIds,
	source: SeenIds,
	now: number,
	options: DedupOptions,
): boolean {
	let added = false;
	for (const [id, acceptedAt] of source) {
		if (!target.has(id) && now - acceptedAt < options.retentionSeconds) {
			target.set(id, acceptedAt);
			added = true;
		}
	}
	// Absorbed ids land at the newest end while they may be older: put every id back in the order
	// it was accepted, so that pruning, which drops from the oldest end, drops the oldest.
	if (added) orderByAcceptance(target);
	prune(target, now, options);
	let shared = 0;
	for (const id of target.keys()) if (source.has(id)) shared++;
	return shared < target.size;
}
