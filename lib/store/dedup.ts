import { createHash } from 'node:crypto';

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
 * Both hold ids by their `eventKey`, as the stored record does; `claim` and `settle` take the ids.
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
 * Claims an event id for a new run, unless a run for it is stored (`duplicate`) or being stored
 * (`in_flight`). Check and claim happen with no await in between, so concurrent requests in one
 * process cannot both claim the same id.
 */
export function claim(ledger: IdLedger, id: string, now: number, options: DedupOptions): Claim {
	const key = eventKey(id);
	if (wasSeen(ledger.stored, key, now, options)) return 'duplicate';
	if (ledger.inFlight.has(key)) return 'in_flight';
	ledger.inFlight.add(key);
	return 'claimed';
}

/** Ends a claim: remembered when n8n stored the run, forgotten so a redelivery runs when it did not. */
export function settle(
	ledger: IdLedger,
	id: string,
	stored: boolean,
	now: number,
	options: DedupOptions,
): void {
	const key = eventKey(id);
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

/** Bytes of an event id's SHA-256 that the record keeps: 72 bits, 12 base64url characters. */
const KEY_BYTES = 9;
const KEY_LENGTH = 12;

/**
 * What the duplicate record keeps of an event id: a digest of fixed, short length, whatever the
 * sender's ids look like. The chance that a new event's key matches one of 5,000 remembered ones
 * is about one in 10^18.
 */
export function eventKey(id: string): string {
	return createHash('sha256').update(id).digest().subarray(0, KEY_BYTES).toString('base64url');
}

/** Stored times are whole minutes, rounded up: an id is kept up to a minute longer, never shorter. */
const MINUTE = 60;

/**
 * The remembered keys as one string, the form the workflow's static data holds them in (and a
 * persist request carries): the first minute they were accepted in, then one group per minute,
 * oldest first, `<minutes after the first>:<keys>`, the keys written back to back. n8n reads
 * and parses the whole static data with every request to the trigger, twice for an accepted
 * event, and its cost follows the size: about 13 bytes an id this way.
 */
export function packKeys(seen: SeenIds): string {
	let first: number | undefined;
	let minute: number | undefined;
	const groups: string[] = [];
	for (const [key, acceptedAt] of seen) {
		const keyMinute = Math.ceil(acceptedAt / MINUTE);
		first ??= keyMinute;
		if (keyMinute === minute) {
			groups[groups.length - 1] += key;
		} else {
			groups.push(`${keyMinute - first}:${key}`);
			minute = keyMinute;
		}
	}
	return [String(first ?? 0), ...groups].join(' ');
}

function unpackKeys(packed: unknown, seen: SeenIds): void {
	if (typeof packed !== 'string') return;
	const [head, ...groups] = packed.split(' ');
	const first = Number(head);
	if (!Number.isSafeInteger(first)) return;
	for (const group of groups) {
		const colon = group.indexOf(':');
		const minute = first + Number(group.slice(0, colon));
		const keys = group.slice(colon + 1);
		if (colon <= 0 || !Number.isSafeInteger(minute) || keys.length % KEY_LENGTH !== 0) continue;
		for (let at = 0; at < keys.length; at += KEY_LENGTH)
			seen.set(keys.slice(at, at + KEY_LENGTH), minute * MINUTE);
	}
}

/** Where a trigger node's static data holds its record, and the fields of earlier versions. */
export interface StoredRecord {
	/** The packed keys (`packKeys`). */
	seenEventKeys?: unknown;
	/** Earlier versions: the ids themselves, packed by line, as a flat list, or keyed `#<id>`. */
	seenEventIds?: unknown;
}

/** The remembered keys, from the record's field and from the ids an earlier version stored. */
export function fromStored(record: StoredRecord): SeenIds {
	const seen: SeenIds = new Map();
	for (const [id, acceptedAt] of storedIds(record.seenEventIds)) seen.set(eventKey(id), acceptedAt);
	unpackKeys(record.seenEventKeys, seen);
	return seen;
}

/** The keys a persist request carries, or undefined when its body is not a record. */
export function fromPersisted(body: unknown): SeenIds | undefined {
	const { keys, ids } = (body ?? {}) as { keys?: unknown; ids?: unknown };
	if (typeof keys === 'string') return fromStored({ seenEventKeys: keys });
	// A process of an earlier version, during an upgrade, sends its ids as a flat list.
	if (Array.isArray(ids)) return fromStored({ seenEventIds: ids });
	return undefined;
}

function storedIds(stored: unknown): SeenIds {
	const seen: SeenIds = new Map();
	if (typeof stored === 'string') {
		unpackIds(stored, seen);
	} else if (Array.isArray(stored)) {
		for (let index = 0; index + 1 < stored.length; index += 2) {
			const [id, acceptedAt] = [stored[index], stored[index + 1]];
			if (typeof id === 'string' && typeof acceptedAt === 'number') seen.set(id, acceptedAt);
		}
	} else if (typeof stored === 'object' && stored !== null) {
		// Keyed `#<id>`: the prefix kept numeric-looking ids in insertion order.
		for (const [key, acceptedAt] of Object.entries(stored)) {
			if (key.startsWith('#') && typeof acceptedAt === 'number') seen.set(key.slice(1), acceptedAt);
		}
	}
	return seen;
}

/** The previous version's string: its first time, then `<seconds after it> <id>` per line. */
function unpackIds(packed: string, seen: SeenIds): void {
	const [head, ...lines] = packed.split('\n');
	const base = Number(head);
	if (!Number.isSafeInteger(base)) return;
	for (const line of lines) {
		const space = line.indexOf(' ');
		const offset = Number(line.slice(0, space));
		const id = unpackedId(line.slice(space + 1));
		if (space > 0 && Number.isSafeInteger(offset) && id !== undefined) seen.set(id, base + offset);
	}
}

/** An id that could break its line, or look encoded, was written as a JSON string. */
function unpackedId(text: string): string | undefined {
	if (!text.startsWith('"')) return text;
	try {
		const id: unknown = JSON.parse(text);
		return typeof id === 'string' ? id : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Ids with their acceptance times as a flat list, `[id, acceptedAt, id, acceptedAt, …]`, as the
 * External Data Provider's publish ledger holds them.
 */
export type IdList = Array<string | number>;
